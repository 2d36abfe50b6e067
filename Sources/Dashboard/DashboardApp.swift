import Dispatch
import Foundation
import TerminalUI

/// The live dashboard: ncurses on the main queue, a `DispatchSourceTimer` refresh, a read source on
/// stdin, SIGWINCH resize, and SIGINT/SIGTERM restoring the terminal.
public enum DashboardApp {
    /// Runs the dashboard until the user quits; exits the process with 0 then. Returns 1 (after restoring
    /// the terminal and printing the error on stderr) when it cannot start.
    @MainActor
    public static func run(backend: any DashboardBackend, options: DashboardOptions) -> Int32 {
        let controller: DashboardController
        do {
            controller = try DashboardController(backend: backend, options: options)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return 1
        }
        controller.start()
        retained = controller
        dispatchMain()
    }

    @MainActor private static var retained: DashboardController?
}

/// Owns the terminal, the state and the Dispatch sources of one dashboard session.
@MainActor
final class DashboardController {
    private let backend: any DashboardBackend
    private let terminal: Terminal
    private let loader: ThemeLoader
    private var theme: Theme
    private var state: UIState
    private var snapshot: DashboardSnapshot = .empty
    private var lastFrame: ScreenBuffer?
    private var timer: (any DispatchSourceTimer)?
    private var sources: [any DispatchSourceProtocol] = []
    private var lastLoad: Double = 0

    init(backend: any DashboardBackend, options: DashboardOptions) throws {
        self.backend = backend
        let config = options.config
        loader = ThemeLoader.standard(themesDir: options.themesDir, environment: options.environment)
        var (state, problems) = options.initialState(config: config, themeNames: loader.availableNames())
        let (theme, diagnostics) = loader.load(state.themeName)
        problems += diagnostics.map(\.description)
        terminal = try Terminal(
            ascii: state.ascii, noColor: options.colorDisabled(config: config), environment: options.environment)
        state.blockChart = state.ascii && terminal.localeIsUTF8
        state.ascii = terminal.ascii
        let size = terminal.size
        state.width = size.width
        state.height = size.height
        state.message = problems.first ?? options.notice
        self.state = state
        self.theme = theme
        terminal.apply(theme: theme)
    }

    func start() {
        dispatchPrecondition(condition: .onQueue(.main))
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler {
                MainActor.assumeIsolated { self.stop() }
            }
            source.resume()
            sources.append(source)
        }
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .main)
        winch.setEventHandler {
            MainActor.assumeIsolated { self.resized() }
        }
        winch.resume()
        sources.append(winch)
        let input = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .main)
        input.setEventHandler {
            MainActor.assumeIsolated { self.readInput() }
        }
        input.resume()
        sources.append(input)
        reload()
        dispatch(.tick(Int64(Date().timeIntervalSince1970)))
        startTimer()
        redraw()
    }

    private func startTimer() {
        timer?.cancel()
        let t = DispatchSource.makeTimerSource(queue: .main)
        let interval = state.refreshInterval
        t.schedule(
            deadline: .now() + interval, repeating: interval, leeway: .milliseconds(Int(max(10, interval * 100))))
        t.setEventHandler {
            MainActor.assumeIsolated { self.tick() }
        }
        t.resume()
        timer = t
    }

    private func tick() {
        if terminal.inputClosed() { stop() }
        if !state.paused { reload() }
        dispatch(.tick(Int64(Date().timeIntervalSince1970)))
        redraw()
    }

    /// Re-reads the snapshot; a failure is shown in the footer, never fatal.
    private func reload() {
        do {
            let next = try backend.loadSnapshot()
            let flashes = priceChanges(from: snapshot, to: next)
            snapshot = next
            dispatch(.snapshotLoaded(flashes: flashes))
        } catch {
            dispatch(.snapshotFailed("\(error)"))
        }
    }

    private func readInput() {
        let keys = terminal.readKeys()
        if keys.isEmpty && terminal.inputClosed() { stop() }
        for key in keys {
            if key == .resize {
                resized()
                continue
            }
            if let action = state.keyMap.action(for: key, state: state) { dispatch(action) }
        }
        redraw()
    }

    private func resized() {
        terminal.handleResize()
        let size = terminal.size
        dispatch(.resize(width: size.width, height: size.height))
        lastFrame = nil
        redraw()
    }

    private func dispatch(_ action: Action) {
        let effects = reduce(&state, action, snapshot)
        for effect in effects { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit:
            finish(code: 0)
        case .planRebalance(let slug):
            // Planning a signal index may read the price history: never on the UI queue when the backend
            // can avoid it. The modal shows "planning" meanwhile and keeps taking keys (Esc cancels).
            backend.planRebalanceInBackground(slug: slug) { result in
                DispatchQueue.main.async {
                    MainActor.assumeIsolated {
                        switch result {
                        case .success(let preview): self.dispatch(.previewReady(preview))
                        case .failure(let error): self.dispatch(.previewFailed("\(error)"))
                        }
                        self.redraw()
                    }
                }
            }
        case .applyRebalance(let preview):
            // The step-up's KDF, the re-plan and the write run off the UI queue (the writer's queue does the
            // write); redraws go on meanwhile.
            let name = preview.name.isEmpty ? preview.slug : preview.name
            backend.applyRebalanceInBackground(preview) { result in
                DispatchQueue.main.async {
                    MainActor.assumeIsolated {
                        switch result {
                        case .success: self.dispatch(.applied("rebalance of \(name) applied"))
                        case .failure(let error): self.dispatch(.applyFailed("\(error)"))
                        }
                        self.reload()
                        self.redraw()
                    }
                }
            }
        case .acknowledgeAlert(let id):
            backend.acknowledgeAlertInBackground(id) { result in
                DispatchQueue.main.async {
                    MainActor.assumeIsolated {
                        switch result {
                        case .success: self.dispatch(.alerts(.acknowledged(id)))
                        case .failure(let error): self.dispatch(.alerts(.failed("\(error)")))
                        }
                    }
                }
            }
        case .reload:
            reload()
        case .setRefresh:
            startTimer()
        case .loadTheme(let name):
            let (next, diagnostics) = loader.load(name)
            theme = next
            terminal.apply(theme: next)
            terminal.invalidate()
            lastFrame = nil
            dispatch(.themeLoaded(message: diagnostics.first.map(\.description) ?? "theme \(next.name)"))
        }
    }

    /// Renders and paints only when the frame differs from the last one painted.
    private func redraw() {
        let frame = renderDashboard(snapshot, state, width: state.width, height: state.height, theme: theme)
        if frame == lastFrame { return }
        terminal.paint(frame)
        lastFrame = frame
    }

    private func stop() {
        finish(code: 0)
    }

    private func finish(code: Int32) -> Never {
        terminal.restore()
        exit(code)
    }
}

/// The prices that moved between two snapshots: symbol → +1 (up) or −1 (down). Pure.
public func priceChanges(from old: DashboardSnapshot, to new: DashboardSnapshot) -> [String: Int] {
    var before: [String: Double] = [:]
    for index in old.indices { for h in index.holdings { before[h.symbol] = h.price } }
    var changes: [String: Int] = [:]
    for index in new.indices {
        for h in index.holdings {
            guard let p = before[h.symbol], p != h.price else { continue }
            changes[h.symbol] = h.price > p ? 1 : -1
        }
    }
    return changes
}
