print("indextop")
