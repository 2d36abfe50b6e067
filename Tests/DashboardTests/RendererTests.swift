import Foundation
import Testing
import IndexCore
import MarketData
import TerminalUI

@testable import Dashboard

@Suite struct RendererTests {
    func frame(
        _ snapshot: DashboardSnapshot = Fixtures.snapshot(), width: Int, height: Int,
        _ edit: (inout UIState) -> Void = { _ in }
    ) -> [String] {
        var state = Fixtures.state(width: width, height: height)
        edit(&state)
        let lines = renderDashboardText(snapshot, state, width: width, height: height).split(
            separator: "\n", omittingEmptySubsequences: false
        ).map(String.init)
        return lines
    }

    func contains(_ lines: [String], _ text: String) -> Bool { lines.contains { $0.contains(text) } }

    @Test func fullLayoutAt120x40() {
        let lines = frame(width: 120, height: 40)
        #expect(lines.count == 40)
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 120 })
        #expect(lines[0].hasPrefix(" indextop  Total $4,000.00 +0.50% 24h  Regime medium  sim live 2s ago"))
        #expect(lines[0].hasSuffix("2024-05-12 08:00:00 UTC"))
        #expect(lines[1].hasPrefix("┌─ Indices "))
        #expect(lines[1].contains("┌─ Alpha Top "))
        #expect(lines[2].contains("│ 24h     drift   next      NAV│"))
        #expect(lines[3].contains("│Alpha Top            $1,000.00│"))
        #expect(lines[4].contains("│ +2.00%  !d6.0%  DUE"))
        #expect(
            lines[2].contains(" 1 Holdings   2 Signals   3 Rebalances   4 Performance   5 Keys & audit   6 Exposure "))
        #expect(
            lines[3].contains(
                "│market-cap · cap 25% · top 2 · weekly Mon 00:00 · band 5.0% · rebalance DUE · fees 10…│"))
        #expect(
            lines[4].contains("Sym           Qty      Price    Value▼    Wt   Tgt  Drift    24h Signal           P&L │")
        )
        #expect(
            lines[5].contains("BTC      0.010000  60,000.00   $600.00 60.0% 54.0%  +6.0%  +3.0% bull ██▌··    $50.00 │")
        )
        #expect(
            lines[6].contains("ETH      0.100000   3,000.00   $300.00 30.0% 36.0%  -6.0%  -1.0% bear ██···   -$20.00 │")
        )
        #expect(lines[39].hasPrefix("q quit ? help 1-6 views r rebalance"))
        #expect(lines[39].hasSuffix("every 1s"))
    }

    @Test func compactLayoutAt80x24() {
        let lines = frame(width: 80, height: 24)
        #expect(lines.count == 24)
        #expect(lines[0].hasPrefix(" indextop  $4,000.00 +0.50%  risk medium  sim live 2s ago"))
        #expect(lines[0].hasSuffix("08:00:00"))
        #expect(lines[1] == "◀ 1/2 Alpha Top ▶ alpha  NAV $1,000.00  +2.00%  drift 6.0%  DUE")
        // Every view keeps a tab: the long labels are shortened to fit 80 columns.
        #expect(lines[2] == " 1 Holdings   2 Signals   3 Rebal   4 Perf   5 Keys   6 Exposure")
        #expect(lines[3].hasPrefix("market-cap · cap 25% · top 2"))
        #expect(contains(lines, "BTC"))
        #expect(!contains(lines, "┌"))
    }

    @Test func tooSmallAt50x12() {
        let lines = frame(width: 50, height: 12)
        #expect(lines.count == 12)
        #expect(lines[5] == "    terminal too small: have 50×12, need 60×15")
        #expect(lines[6].trimmingCharacters() == "q quits")
    }

    @Test func emptyStatesOfSignalsAndKeys() {
        let noSignals = frame(Fixtures.snapshot(signals: false), width: 120, height: 40) { $0.view = .signals }
        #expect(contains(noSignals, "no signals yet"))
        let noVault = frame(width: 120, height: 40) { $0.view = .keys }
        #expect(contains(noVault, "no vault"))
        let vault = frame(Fixtures.snapshot(keys: true), width: 120, height: 40) { $0.view = .keys }
        #expect(contains(vault, "coingecko"))
        #expect(contains(vault, "••••abcd"))
        #expect(contains(vault, "audit · chain ok"))
    }

    @Test func signalsShowBreakdownAndVotes() {
        let lines = frame(width: 120, height: 40) { $0.view = .signals }
        #expect(contains(lines, "*BTC    bullish  █████·····   0.50  61.2    12.500    3.1%    8.4% computed"))
        #expect(contains(lines, "votes for BTC: bullish 0.50 · 1 up, 0 down, 1 neutral"))
        // Two columns of 43 cells in an 86-cell pane: the second mark starts at column 43.
        #expect(contains(lines, "││+1 close > SMA20" + String(repeating: " ", count: 27) + " 0 RSI < 30 rising"))
        #expect(contains(lines, "2 tokens of Alpha Top (a: all 2)"))
    }

    @Test func signalsShowTheSelectedIndexTokensUnlessAllAreAsked() {
        // Beta holds BTC and AAVE; the fixture has signals for BTC and ETH.
        let beta = frame(width: 120, height: 40) {
            $0.view = .signals
            $0.selectedIndex = 1
        }
        #expect(contains(beta, "1 token of Beta DeFi (a: all 2)"))
        #expect(contains(beta, "*BTC    bullish"))
        #expect(!contains(beta, "ETH    bearish"))
        let all = frame(width: 120, height: 40) {
            $0.view = .signals
            $0.selectedIndex = 1
            $0.allSignals = true
        }
        #expect(contains(all, "all 2 tokens (a: this index)"))
        #expect(contains(all, " ETH    bearish"))
    }

    @Test func headerFiguresKeepTheHeaderBackground() {
        var state = Fixtures.state()
        state.view = .holdings
        let buffer = renderDashboard(Fixtures.snapshot(), state, width: 120, height: 40, theme: .standard)
        let row = buffer.text()[0]
        let start = row.distance(from: row.startIndex, to: row.range(of: "+0.50%")!.lowerBound)
        #expect(buffer[start, 0].style.role == .gain)
        #expect(buffer[start, 0].style.background == .header)
        // Every cell of the bar is on the header background: its own role or borrowed.
        for x in 0..<120 {
            let style = buffer[x, 0].style
            #expect(style.role == .header || style.background == .header, "column \(x)")
        }
    }

    @Test func hugeQuantitiesAreNotCutWhenThereIsRoom() {
        var snapshot = Fixtures.snapshot()
        snapshot.indices[0].holdings.append(
            HoldingRow(
                symbol: "SHIB", sector: "Memecoins", quantity: 139_074_548, price: 0.000018, value: 2_503.34,
                weight: 0.0025, target: 0.002))
        let lines = frame(snapshot, width: 120, height: 40)
        // The price keeps 4 significant digits (1800 of 0.00001800), the quantity every digit.
        let shib = lines.first { $0.contains("SHIB ") } ?? ""
        #expect(
            shib.contains(" 139,074,548 ") && shib.contains(" 0.00001800 ") && shib.contains("$2,503.34"), "\(shib)")
    }

    @Test(arguments: [(100, 30), (80, 24), (60, 15)])
    func narrowPanesDropWholeColumnsInsteadOfCuttingThem(width: Int, height: Int) {
        let lines = frame(width: width, height: height)
        let header = lines.first { $0.contains("Sym ") }!
        #expect(!header.contains("…"))
        #expect(header.contains("Value▼"))
        let btc = lines.first { $0.contains("BTC ") && $0.contains("60,000.00") }!
        #expect(!btc.contains("…"))
    }

    @Test func rebalancesAndDrill() {
        let list = frame(width: 120, height: 40) { $0.view = .rebalances }
        // Costs = fees 0.60 + slippage 0.40.
        #expect(contains(list, "   7 05-12 07:00 scheduled applied    $990.00    $989.00    10.0%     $1.00 weekly"))
        let trades = frame(width: 120, height: 40) {
            $0.view = .rebalances
            $0.drill = 7
        }
        #expect(contains(trades, "#7 2024-05-12 07:00 scheduled · 2 trades · turnover 10.0% · Esc back"))
        #expect(contains(trades, "fees $0.60 · slippage $0.40 · costs $1.00"))
        #expect(contains(trades, "sell ETH        0.010000   3,000.00      $30.00    $0.03"))
    }

    @Test func performanceChartAndFigures() {
        let lines = frame(width: 120, height: 40) { $0.view = .performance }
        #expect(contains(lines, "NAV per unit"))
        #expect(lines.contains { $0.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } })
        #expect(contains(lines, "All            +10.00%    +8.00%    +7.00%"))
        #expect(contains(lines, "Sharpe            1.50"))
        #expect(contains(lines, "rebalancing gain vs buy&hold: +3.00%"))
        let ascii = frame(width: 120, height: 40) {
            $0.view = .performance
            $0.ascii = true
        }
        #expect(ascii.allSatisfy { $0.allSatisfy(\.isASCII) })
        #expect(contains(ascii, "+- Indices "))
        // --ascii on a UTF-8 terminal: the chart in block elements, every other glyph ASCII.
        let blocks = frame(width: 120, height: 40) {
            $0.view = .performance
            $0.ascii = true
            $0.blockChart = true
        }
        let blockGlyphs: Set<Character> = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        #expect(blocks.contains { $0.contains { blockGlyphs.contains($0) } })
        #expect(blocks.allSatisfy { $0.allSatisfy { $0.isASCII || blockGlyphs.contains($0) } })
        #expect(contains(blocks, "+- Indices "))
    }

    @Test func asciiFoldsTheSquareRootSign() {
        var snapshot = Fixtures.snapshot()
        snapshot.indices[0].name = "Top 20 √cap"
        let lines = frame(snapshot, width: 120, height: 40) { $0.ascii = true }
        #expect(contains(lines, "|Top 20 vcap "))
    }

    @Test func exposureShowsSharesAndSectors() {
        let lines = frame(width: 120, height: 40) { $0.view = .exposure }
        #expect(contains(lines, "Beta DeFi           $3,000.00   75.0%"))
        #expect(contains(lines, "BTC     $2,100.00   52.5%   2"))
        #expect(contains(lines, "Layer-1  $2,400.00   60.0%   2"))
    }

    @Test func privacyHidesAmountsButKeepsWeights() {
        let lines = frame(width: 120, height: 40) { $0.privacy = true }
        #expect(!contains(lines, "$4,000.00"))
        #expect(!contains(lines, "$600.00"))
        #expect(contains(lines, "60.0% 54.0%"))
        #expect(contains(lines, "•••••"))
    }

    @Test func modalShowsPreviewAndStale() {
        let fresh = frame(width: 120, height: 40) {
            $0.modal = RebalanceModal(
                slug: "alpha", phase: .preview(Fixtures.preview, stale: false, confirmedOnce: false))
        }
        #expect(contains(fresh, "rebalance Alpha Top"))
        #expect(contains(fresh, "NAV before $1,000.00 → after $999.50"))
        #expect(contains(fresh, "turnover 12.00%   fees $0.30   slippage $0.20   costs $0.50"))
        #expect(contains(fresh, "y apply   n/Esc cancel"))
        #expect(!contains(fresh, "STALE"))
        let stale = frame(width: 120, height: 40) {
            $0.modal = RebalanceModal(
                slug: "alpha", phase: .preview(Fixtures.preview, stale: true, confirmedOnce: true))
        }
        #expect(contains(stale, "STALE prices"))
        #expect(contains(stale, "press y AGAIN"))
    }

    @Test func smallModalCountsTheTradesItCannotShowAndHidesAmounts() {
        var preview = Fixtures.preview
        preview.trades = (0..<8).map {
            TradeRow(symbol: "T\($0)", side: .buy, quantity: 1, price: 10, notional: 10, fee: 0.01)
        }
        let lines = frame(width: 60, height: 15) {
            $0.modal = RebalanceModal(slug: "alpha", phase: .preview(preview, stale: false, confirmedOnce: false))
            $0.privacy = true
        }
        // The trades that do not fit are counted, and j/k scroll to them (SafetyTests).
        #expect(contains(lines, "buy  T0"))
        #expect(contains(lines, "rows 1–3 of 10 · j/k scroll"))
        #expect(contains(lines, "y apply   n/Esc cancel"))
        #expect(contains(lines, "NAV before ••••• → after •••••"))
        #expect(!contains(lines, "$999.50"))
        #expect(contains(lines, "turnover 12.00%"))
    }

    @Test func helpListsRemappedKeys() {
        let (map, _) = KeyMap.from(config: DashboardConfig(text: "key.rebalance = R\n", path: "c"))
        let lines = frame(width: 120, height: 40) {
            $0.keyMap = map
            $0.showHelp = true
        }
        #expect(contains(lines, "R         rebalance preview"))
    }

    @Test func filterPromptAndFlashes() {
        let lines = frame(width: 120, height: 40) {
            $0.filterEditing = true
            $0.filter = "et"
        }
        #expect(lines[39].hasPrefix("/et_"))
        var state = Fixtures.state()
        state.flashes = ["ETH": -1]  // row 6; row 5 is the selected row
        let buffer = renderDashboard(Fixtures.snapshot(), state, width: 120, height: 40, theme: .standard)
        let row = buffer.text()[6]
        let col = DisplayWidth.of(String(row[..<row.range(of: "3,000.00")!.lowerBound]))
        #expect(buffer[col, 6].style.role == .loss)
        #expect(buffer[col, 7].style.role == .main)
    }

    @Test func staleFeedShownInHeader() {
        let lines = frame(width: 120, height: 40) { $0.now = Fixtures.now + 60 }
        #expect(lines[0].contains("sim STALE 1m ago"))
    }

    @Test func demoSnapshotCommand() throws {
        let text = try SnapshotCommand.render(backend: DemoBackend(), width: 100, height: 30, view: 6)
        #expect(text.contains("share of total by index"))
        #expect(throws: DemoError.self) { try SnapshotCommand.render(backend: DemoBackend(), view: 9) }
    }
}
