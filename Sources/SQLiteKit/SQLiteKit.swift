// SQLiteKit module.
