import Dispatch
import Foundation

extension Process {
    /// Starts the process and returns a function that blocks until it has exited.
    ///
    /// `waitUntilExit()` spins the calling thread's run loop and can hang on Linux when called off the
    /// main thread while other processes start and exit (swift-corelibs-foundation): the termination
    /// handler, registered before `run()` so a fast exit cannot be missed, signals a semaphore instead.
    public func start() throws -> () -> Void {
        let done = DispatchSemaphore(value: 0)
        terminationHandler = { _ in done.signal() }
        try run()
        return {
            done.wait()
            done.signal()  // a second call returns at once
        }
    }

    /// Runs the process to completion (see `start()`).
    public func runToCompletion() throws {
        try start()()
    }
}
