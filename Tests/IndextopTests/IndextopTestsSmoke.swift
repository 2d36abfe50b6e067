import Testing

@Suite struct IndextopTestsPlaceholder {
    @Test func moduleBuilds() { #expect(1 + 1 == 2) }
}
