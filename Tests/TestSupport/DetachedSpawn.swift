import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `argv` to completion without Foundation's `Process`, with every descriptor above 2 closed and
/// stdin/stdout/stderr on /dev/null; returns the exit status (or -1 when it cannot start).
///
/// For commands that leave a daemon behind (the first `tmux new-session` starts the tmux server):
/// `Process` learns that its child exited when a socket it shares with the child reaches end of file,
/// and a daemon that inherits that socket keeps it open forever, so the test hangs. Here bash closes
/// every inherited descriptor (including ones other tests' processes are being started with) before
/// exec'ing the command, and the exit is observed with `waitpid`.
public func spawnDetached(_ argv: [String]) -> Int32 {
    let script =
        #"for f in /proc/$$/fd/*; do n=${f##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done 2>/dev/null; exec "$@""#
    let words = ["/bin/bash", "-c", script, "bash"] + argv
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in 0...2 {
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    let cArgs: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, "/bin/bash", &actions, nil, cArgs, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        if errno != EINTR { return -1 }
    }
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
}
