import SQLiteKit

/// The portfolio schema's migrations, in order. Append only: never edit a shipped migration.
enum Schema {
    static var migrator: Migrator {
        var m = Migrator()
        m.register("v1-portfolio") { db in
            try db.execute(
                """
                CREATE TABLE assets(
                    symbol TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    sector TEXT NOT NULL DEFAULT '',
                    is_stablecoin INTEGER NOT NULL DEFAULT 0 CHECK (is_stablecoin IN (0, 1)),
                    coingecko_id TEXT
                );
                CREATE TABLE prices(
                    symbol TEXT NOT NULL REFERENCES assets(symbol) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    price REAL NOT NULL CHECK (price > 0),
                    market_cap REAL CHECK (market_cap IS NULL OR market_cap >= 0),
                    volume REAL CHECK (volume IS NULL OR volume >= 0),
                    source TEXT NOT NULL DEFAULT 'import',
                    PRIMARY KEY (symbol, time)
                ) WITHOUT ROWID;
                CREATE INDEX prices_time ON prices(time);
                CREATE TABLE indices(
                    id INTEGER PRIMARY KEY,
                    slug TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    spec TEXT NOT NULL,
                    created INTEGER NOT NULL,
                    cash REAL NOT NULL DEFAULT 0 CHECK (cash >= 0),
                    units REAL NOT NULL DEFAULT 0 CHECK (units >= 0),
                    targets TEXT NOT NULL DEFAULT '{}'
                );
                CREATE TABLE holdings(
                    index_id INTEGER NOT NULL REFERENCES indices(id) ON DELETE CASCADE,
                    symbol TEXT NOT NULL REFERENCES assets(symbol),
                    quantity REAL NOT NULL CHECK (quantity >= 0),
                    cost_basis REAL NOT NULL DEFAULT 0,
                    PRIMARY KEY (index_id, symbol)
                );
                CREATE TABLE index_values(
                    index_id INTEGER NOT NULL REFERENCES indices(id) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    nav REAL NOT NULL,
                    nav_per_unit REAL NOT NULL,
                    units REAL NOT NULL,
                    PRIMARY KEY (index_id, time)
                ) WITHOUT ROWID;
                CREATE TABLE signals(
                    symbol TEXT NOT NULL REFERENCES assets(symbol) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    score REAL NOT NULL,
                    label TEXT NOT NULL CHECK (label IN ('bullish', 'neutral', 'bearish')),
                    components TEXT NOT NULL DEFAULT '{}',
                    source TEXT NOT NULL DEFAULT 'rating',
                    PRIMARY KEY (symbol, time, source)
                ) WITHOUT ROWID;
                CREATE TABLE rebalances(
                    id INTEGER PRIMARY KEY,
                    index_id INTEGER NOT NULL REFERENCES indices(id) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    trigger TEXT NOT NULL,
                    status TEXT NOT NULL,
                    nav_before REAL NOT NULL,
                    nav_after REAL NOT NULL,
                    turnover REAL NOT NULL,
                    fees REAL NOT NULL,
                    slippage REAL NOT NULL,
                    cash_after REAL NOT NULL,
                    prices_time INTEGER NOT NULL,
                    reason TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX rebalances_index_time ON rebalances(index_id, time);
                CREATE TABLE rebalance_trades(
                    rebalance_id INTEGER NOT NULL REFERENCES rebalances(id) ON DELETE CASCADE,
                    symbol TEXT NOT NULL,
                    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
                    quantity REAL NOT NULL CHECK (quantity >= 0),
                    price REAL NOT NULL,
                    notional REAL NOT NULL,
                    fee REAL NOT NULL,
                    slippage REAL NOT NULL,
                    weight_before REAL,
                    weight_target REAL,
                    weight_after REAL
                );
                CREATE INDEX rebalance_trades_rebalance ON rebalance_trades(rebalance_id);
                CREATE TABLE rebalance_weights(
                    rebalance_id INTEGER NOT NULL REFERENCES rebalances(id) ON DELETE CASCADE,
                    symbol TEXT NOT NULL,
                    before REAL NOT NULL,
                    target REAL NOT NULL,
                    after REAL NOT NULL,
                    PRIMARY KEY (rebalance_id, symbol)
                );
                CREATE TABLE cash_flows(
                    id INTEGER PRIMARY KEY,
                    index_id INTEGER NOT NULL REFERENCES indices(id) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    amount REAL NOT NULL,
                    units REAL NOT NULL,
                    nav_per_unit REAL NOT NULL,
                    kind TEXT NOT NULL
                );
                CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """)
        }
        m.register("v2-regimes") { db in
            try db.execute(
                """
                CREATE TABLE regimes(
                    time INTEGER PRIMARY KEY,
                    risk TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
                    breadth REAL NOT NULL,
                    btc_trend TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX signals_time ON signals(time);
                """)
        }
        m.register("v3-core-key-columns-first") { db in
            // A WITHOUT ROWID table whose primary-key columns are not its first columns makes Debian's
            // sqlite3 3.40.1 `PRAGMA integrity_check` report "NULL value in signals.score" on a sound file.
            // The same table with its key columns first; every row is kept.
            try db.execute(
                """
                CREATE TABLE signals_v3(
                    symbol TEXT NOT NULL REFERENCES assets(symbol) ON DELETE CASCADE,
                    time INTEGER NOT NULL,
                    source TEXT NOT NULL DEFAULT 'rating',
                    score REAL NOT NULL,
                    label TEXT NOT NULL CHECK (label IN ('bullish', 'neutral', 'bearish')),
                    components TEXT NOT NULL DEFAULT '{}',
                    PRIMARY KEY (symbol, time, source)
                ) WITHOUT ROWID;
                INSERT INTO signals_v3(symbol, time, source, score, label, components)
                    SELECT symbol, time, source, score, label, components FROM signals;
                DROP TABLE signals;
                ALTER TABLE signals_v3 RENAME TO signals;
                CREATE INDEX signals_time ON signals(time);
                """)
        }
        m.register("v4-alerts") { db in
            // One row per raised alert; at most one open (not cleared) row per (kind, index, asset).
            try db.execute(
                """
                CREATE TABLE alerts(
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL CHECK (kind IN ('drift', 'signal', 'regime', 'due', 'key', 'feed')),
                    index_slug TEXT NOT NULL DEFAULT '',
                    asset TEXT NOT NULL DEFAULT '',
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    cleared_at INTEGER,
                    state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'acknowledged', 'cleared')),
                    message TEXT NOT NULL,
                    hook_run INTEGER
                );
                CREATE UNIQUE INDEX alerts_open ON alerts(kind, index_slug, asset) WHERE state != 'cleared';
                CREATE INDEX alerts_first_seen ON alerts(first_seen);
                """)
        }
        m.register("v5-realdata") { db in
            // Token Metrics ids map its signals to assets when symbols are ambiguous (DESIGN §5). Written to
            // run again on a file that has the column (an older `user_version` over a newer schema).
            let has = try db.scalarInt(
                "SELECT COUNT(*) FROM pragma_table_info('assets') WHERE name = 'tokenmetrics_id'")
            if has == 0 { try db.execute("ALTER TABLE assets ADD COLUMN tokenmetrics_id TEXT") }
            try db.execute(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS assets_tokenmetrics_id ON assets(tokenmetrics_id)
                    WHERE tokenmetrics_id IS NOT NULL
                """)
        }
        return m
    }
}
