import IndexCore
import Testing

/// One resolver for every path (XDG Base Directory specification).
@Suite struct AppPathsTests {
    @Test func absoluteXDGValuesAreUsed() {
        let p = AppPaths(
            environment: [
                "HOME": "/h", "XDG_DATA_HOME": "/d", "XDG_CONFIG_HOME": "/c", "XDG_STATE_HOME": "/s",
            ])
        #expect(p.database == "/d/indextop/indextop.db")
        #expect(!p.databaseFromEnvironment)
        #expect(p.vault(env: "dev") == "/d/indextop/vault-dev.idxv")
        #expect(p.auditLog(env: "prod") == "/d/indextop/audit-prod.jsonl")
        #expect(p.configFile == "/c/indextop/indextop.conf")
        #expect(p.themesDirectory == "/c/indextop/themes")
        #expect(p.feedLog == "/s/indextop/feed.log")
    }

    @Test func relativeOrEmptyXDGValuesAreIgnoredForEveryPath() {
        let p = AppPaths(
            environment: ["HOME": "/h", "XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": "./s"])
        #expect(p.database == "/h/.local/share/indextop/indextop.db")
        #expect(p.vault(env: "dev") == "/h/.local/share/indextop/vault-dev.idxv")
        #expect(p.configFile == "/h/.config/indextop/indextop.conf")
        #expect(p.feedLog == "/h/.local/state/indextop/feed.log")
    }

    @Test func theDatabaseVariableNamesTheFileAndHomeFallsBack() {
        let p = AppPaths(environment: ["INDEXTOP_DB": "rel/x.db", "HOME": ""], fallbackHome: "/home/u")
        #expect(p.database == "rel/x.db")
        #expect(p.databaseFromEnvironment)
        #expect(p.dataDirectory == "/home/u/.local/share/indextop")
    }
}
