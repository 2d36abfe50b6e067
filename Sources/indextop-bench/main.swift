// Benchmarks of DESIGN §13. The UI branch adds `frame.10x100`; the lead's version merges the rest.
import Dashboard
import Foundation
import TerminalUI

func measure(_ name: String, runs: Int = 50, _ body: () -> Void) {
    for _ in 0..<5 { body() }
    var times: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    times.sort()
    print("\(name)  median \(Format.fixed(times[runs / 2], 3)) ms  min \(Format.fixed(times[0], 3)) ms  (\(runs) runs)")
}

let snapshot = SampleData.snapshot(indices: 10, holdings: 100, time: 1_715_500_800)
for view in DashboardView.allCases {
    var state = UIState()
    state.view = view
    state.now = snapshot.time
    measure("frame.10x100" + (view == .holdings ? "" : ".\(view.title.lowercased())")) {
        _ = renderDashboard(snapshot, state, width: 200, height: 60, theme: .standard)
    }
}
