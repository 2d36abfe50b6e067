import Testing

@Suite struct MarketDataTestsPlaceholder {
    @Test func moduleBuilds() { #expect(1 + 1 == 2) }
}
