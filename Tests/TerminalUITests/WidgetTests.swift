import Testing

@testable import TerminalUI

@Suite struct DisplayWidthTests {
    @Test(arguments: [
        ("abc", 3), ("─│┌", 3), ("⣸⠁", 2), ("日本", 4), ("e\u{301}", 1), ("", 0), ("█▎·", 3), ("🚀", 2),
    ])
    func widths(text: String, expected: Int) {
        #expect(DisplayWidth.of(text) == expected)
    }

    @Test func tableAgreesOnCommonRanges() {
        #expect(DisplayWidth.tableWidth(0x2500) == 1)
        #expect(DisplayWidth.tableWidth(0x4E00) == 2)
        #expect(DisplayWidth.tableWidth(0x0301) == 0)
        #expect(DisplayWidth.tableWidth(0x28FF) == 1)
    }

    @Test func bufferPutsWideGlyphsOnce() {
        var b = ScreenBuffer(width: 6, height: 1)
        let used = b.put("日x本", x: 0, y: 0)
        #expect(used == 5)
        #expect(b.text() == ["日x本 "])
    }
}

@Suite struct KeyTests {
    @Test(arguments: [
        (UInt32(10), Key.enter), (13, .enter), (9, .tab), (27, .escape), (127, .backspace), (8, .backspace),
        (UInt32(Character("q").asciiValue!), .char("q")), (0x00E9, .char("é")),
    ])
    func decodesCharacters(value: UInt32, expected: Key) {
        #expect(KeyDecoder.decode(character: value) == expected)
    }

    @Test func decodesKeyCodes() {
        #expect(KeyDecoder.decode(keyCode: 0o403) == .up)  // KEY_UP
        #expect(KeyDecoder.decode(keyCode: 0o402) == .down)
        #expect(KeyDecoder.decode(keyCode: 0o404) == .left)
        #expect(KeyDecoder.decode(keyCode: 0o405) == .right)
        #expect(KeyDecoder.decode(keyCode: 0o523) == .pageUp)
        #expect(KeyDecoder.decode(keyCode: 0o522) == .pageDown)
        #expect(KeyDecoder.decode(keyCode: 0o406) == .home)
        #expect(KeyDecoder.decode(keyCode: 0o550) == .end)
        #expect(KeyDecoder.decode(keyCode: 0o541) == .backTab)
        #expect(KeyDecoder.decode(keyCode: 0o632) == .resize)
        #expect(KeyDecoder.decode(keyCode: 0o410 + 1) == .function(1))
        #expect(KeyDecoder.decode(keyCode: 0o410 + 10) == .function(10))
        #expect(KeyDecoder.decode(keyCode: 0o777) == .unknown(0o777))
    }

    @Test(arguments: [
        ("R", Key.char("R")), ("pgdn", .pageDown), ("ESC", .escape), ("f5", .function(5)), ("space", .char(" ")),
        ("btab", .backTab), ("?", .char("?")),
    ])
    func parsesNames(name: String, expected: Key) {
        #expect(Key(name: name) == expected)
    }

    @Test func decodesMouseEvents() {
        let b = KeyDecoder.mouseButtons
        #expect(Set([b.click, b.press, b.release, b.wheelUp, b.wheelDown]).count == 5)
        #expect(KeyDecoder.decode(mouseButtons: b.click, x: 3, y: 4) == .click(x: 3, y: 4))
        #expect(KeyDecoder.decode(mouseButtons: b.press, x: 0, y: 9) == .click(x: 0, y: 9))
        #expect(KeyDecoder.decode(mouseButtons: b.wheelUp, x: 1, y: 2) == .wheelUp(x: 1, y: 2))
        #expect(KeyDecoder.decode(mouseButtons: b.wheelDown, x: 1, y: 2) == .wheelDown(x: 1, y: 2))
        // A release follows every press: it must not click twice.
        #expect(KeyDecoder.decode(mouseButtons: b.release, x: 3, y: 4) == nil)
        #expect(KeyDecoder.decode(mouseButtons: 0, x: 3, y: 4) == nil)
    }

    @Test func rejectsUnknownNames() {
        #expect(Key(name: "hyper") == nil)
        #expect(Key(name: "f99") == nil)
    }
}

@Suite struct WidgetTests {
    @Test func brailleLineRisingInOneCell() {
        // Points (dot col 0, row 3) and (col 1, rows 0...3): bits 0x40 | 0x08 | 0x10 | 0x20 | 0x80 = 0xF8.
        var b = ScreenBuffer(width: 1, height: 1)
        LineChart.draw(into: &b, rect: Rect(x: 0, y: 0, width: 1, height: 1), values: [0, 1], mode: .braille)
        #expect(b.text() == ["\u{28F8}"])
    }

    @Test func blockChartFillsFromTheBottom() {
        var b = ScreenBuffer(width: 2, height: 2)
        LineChart.draw(into: &b, rect: Rect(x: 0, y: 0, width: 2, height: 2), values: [0, 1], mode: .blocks)
        #expect(b.text() == [" █", "▁█"])
        var a = ScreenBuffer(width: 2, height: 2)
        LineChart.draw(into: &a, rect: Rect(x: 0, y: 0, width: 2, height: 2), values: [0, 1], mode: .ascii)
        #expect(a.text() == [" *", ".|"])
    }

    @Test func resampleInterpolates() {
        #expect(LineChart.resample([0, 10], count: 3) == [0, 5, 10])
        #expect(LineChart.resample([1, 2, 3, 4, 5], count: 3) == [1, 3, 5])
    }

    @Test(arguments: [(0.5, 4, "██··"), (0.3, 4, "█▎··"), (1.0, 3, "███"), (0.0, 2, "··"), (2.0, 2, "██")])
    func convictionBar(value: Double, width: Int, expected: String) {
        #expect(ConvictionBar.text(value, width: width, glyphs: .unicode) == expected)
    }

    @Test func convictionBarASCII() {
        #expect(ConvictionBar.text(0.5, width: 4, glyphs: .ascii) == "##..")
    }

    @Test func tableAlignsByDisplayWidthAndKeepsSelectionVisible() {
        var b = ScreenBuffer(width: 12, height: 3)
        let table = Table(
            columns: [TableColumn("N", width: 4), TableColumn("V", width: 5, alignRight: true)],
            rows: (0..<5).map { [TableCell("日\($0)"), TableCell("\($0 * 10)")] }, selected: 4)
        let first = table.draw(into: &b, rect: Rect(x: 0, y: 0, width: 12, height: 3), glyphs: .unicode)
        #expect(first == 3)
        // Text shows a wide glyph once: "日3" fills 3 of the 4 columns, then 1 pad + 1 separator + "   30".
        #expect(b.text() == ["N        V  ", "日3     30  ", "日4     40  "])
        #expect(b[0, 2].style.role == .selected)
        #expect(b[0, 1].style.role == .main)
    }

    @Test func tableColumnsGrowToTheirWidestCellWhenThereIsRoom() {
        let table = Table(
            columns: [TableColumn("A", width: 3), TableColumn("B", width: 3, alignRight: true)],
            rows: [[TableCell("abcdef"), TableCell("1")]])
        // 12 columns: 3 + 1 + 3 leaves 5 spare, A grows by 3 to fit "abcdef".
        var wide = ScreenBuffer(width: 12, height: 2)
        table.draw(into: &wide, rect: Rect(x: 0, y: 0, width: 12, height: 2), glyphs: .unicode)
        #expect(wide.text() == ["A        B  ", "abcdef   1  "])
        // 8 columns: one spare, A grows to 4 and is still cut.
        var narrow = ScreenBuffer(width: 8, height: 2)
        table.draw(into: &narrow, rect: Rect(x: 0, y: 0, width: 8, height: 2), glyphs: .unicode)
        #expect(narrow.text() == ["A      B", "abc…   1"])
    }

    @Test func tableLeavesOutLowPriorityColumnsButNeverTheSortColumn() {
        let columns = [
            TableColumn("A", width: 2), TableColumn("B", width: 2, hidePriority: 1),
            TableColumn("C", width: 2, hidePriority: 2),
        ]
        let rows = [[TableCell("a"), TableCell("b"), TableCell("c")]]
        // 2 + 1 + 2 + 1 + 2 = 8 > 5: B goes first.
        #expect(Table(columns: columns, rows: rows).layout(width: 5).map(\.column) == [0, 2])
        #expect(Table(columns: columns, rows: rows).layout(width: 8).map(\.column) == [0, 1, 2])
        // Sorted by B: C goes instead.
        #expect(Table(columns: columns, rows: rows, sortColumn: 1).layout(width: 5).map(\.column) == [0, 1])
        // Nothing left to hide: the kept columns are returned and the caller cuts the last.
        #expect(Table(columns: columns, rows: rows).layout(width: 1).map(\.column) == [0])
        var b = ScreenBuffer(width: 5, height: 2)
        Table(columns: columns, rows: rows).draw(into: &b, rect: Rect(x: 0, y: 0, width: 5, height: 2), glyphs: .ascii)
        #expect(b.text() == ["A  C ", "a  c "])
    }

    @Test(arguments: [("abc", 3), ("a\tb", 2), ("a\u{7f}b", 2), ("日本", 4), ("$1,234 ██▌·", 11), ("", 0)])
    func stringWidthWithAndWithoutTheASCIIFastPath(text: String, expected: Int) {
        #expect(DisplayWidth.of(text) == expected)
    }

    @Test func truncateAndPad() {
        #expect(TextLayout.truncate("abcdef", to: 4) == "abc…")
        #expect(TextLayout.pad("ab", to: 4, alignRight: true) == "  ab")
        #expect(TextLayout.pad("日本語", to: 5) == "日本…")
        #expect(TextLayout.truncate("abc", to: 0) == "")
    }

    @Test func boxAndTabs() {
        var b = ScreenBuffer(width: 10, height: 3)
        b.drawBox(Rect(x: 0, y: 0, width: 10, height: 3), glyphs: .ascii, title: "t")
        #expect(b.text() == ["+- t ----+", "|        |", "+--------+"])
        let ranges = Tabs.ranges(labels: ["ab", "c"], x: 1, width: 20)
        #expect(ranges == [1..<5, 6..<9])
        var t = ScreenBuffer(width: 12, height: 1)
        #expect(Tabs.draw(into: &t, labels: ["ab", "c"], active: 1, x: 1, y: 0, width: 20) == ranges)
        #expect(t[7, 0].style.role == .selected)
    }
}
