import Testing

@Suite struct TerminalUITestsPlaceholder {
    @Test func moduleBuilds() { #expect(1 + 1 == 2) }
}
