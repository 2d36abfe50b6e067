import Testing

@Suite struct PortfolioStoreTestsPlaceholder {
    @Test func moduleBuilds() { #expect(1 + 1 == 2) }
}
