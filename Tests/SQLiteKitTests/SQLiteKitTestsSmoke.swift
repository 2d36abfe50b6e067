import Testing

@Suite struct SQLiteKitTestsPlaceholder {
    @Test func moduleBuilds() { #expect(1 + 1 == 2) }
}
