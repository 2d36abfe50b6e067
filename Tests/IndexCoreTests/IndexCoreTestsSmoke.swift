import Testing

@Suite struct IndexCoreTestsPlaceholder {
    @Test func moduleBuilds() { #expect(1 + 1 == 2) }
}
