import Testing

@Suite struct VaultTestsPlaceholder {
    @Test func moduleBuilds() { #expect(1 + 1 == 2) }
}
