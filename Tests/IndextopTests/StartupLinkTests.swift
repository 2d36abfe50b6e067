import Foundation
import TestSupport
import Testing

/// Commands that do not use the network must not pay for it (issue 16): the executable loads no
/// FoundationNetworking and no libcurl (the HTTP transport opens libcurl at its first request).
@Suite struct StartupLinkTests {
    @Test func theExecutableNeedsNoNetworkLibraries() throws {
        let scratch = FileManager.default.temporaryDirectory
        let r = try runCaptured(
            URL(fileURLWithPath: "/usr/bin/ldd"), [CLIHarness.binary], environment: ["PATH": "/usr/bin:/bin"],
            scratch: scratch)
        #expect(r.status == 0, "\(r.stderr)")
        for library in ["FoundationNetworking", "libcurl", "libgnutls", "libkrb5", "libldap"] {
            #expect(!r.stdout.contains(library), "\(library) is loaded at start-up")
        }
    }
}
