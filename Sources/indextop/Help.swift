/// Help texts for `indextop --help` and `indextop help COMMAND`.
enum Help {
    static let overview = """
        indextop — a terminal dashboard for crypto index portfolios

        usage:
          indextop [--db PATH] [--theme NAME] [--themes-dir DIR] [--refresh SEC] [--config PATH]
                   [--feed sim|coingecko|binance|tokenmetrics|file:PATH|none] [--env dev|test|prod] [--ascii] [--no-color]
                   [--passphrase-fd N | --passphrase-file PATH]       open the dashboard
          indextop COMMAND [options] [--db PATH] [--env ENV] [--json]

        commands:
          init [--demo]                      create the database (with the demo market and indices)
          index create FILE | list | show SLUG | rm SLUG
          assets list | add SYMBOL [--name N --sector S --coingecko-id ID --tokenmetrics-id ID --stablecoin] | import FILE
          assets search TEXT | add --top N [--category ID] [--sector S] | add --coingecko-id ID [--symbol S]
          holdings SLUG                      holdings valued at the latest prices
          signals [SLUG] [--refresh]         per-token signals and the market regime
          rebalance SLUG [--apply] [--reason TEXT] [--no-sell]   preview (default) or apply
          rebalance --due                    apply every due scheduled/drift rebalance and DCA deposit
          history SLUG                       rebalances, newest first
          performance SLUG                   returns, volatility, Sharpe, Sortino, drawdown vs BTC and buy & hold
          deposit SLUG AMOUNT | withdraw SLUG AMOUNT
          import prices|signals FILE         CSV or JSONL, all or nothing
          export SLUG --format csv|json
          backtest FILE.json [--from DATE] [--to DATE]
          keys add|list|rotate|revoke|suspend|verify ...    audit show|verify    scan PATH...
          snapshot [--width W --height H --view N --index SLUG --preview]
          fetch [--provider coingecko|binance|tokenmetrics] [--base-url URL]
          fetch --history DAYS [--provider coingecko|binance] [SYMBOL...]   backfill daily history
          alerts [--all] [--ack ID]          evaluate and list alerts; exit 1 when any is new
          index create FILE --tracked        an index of what you really hold: holdings come from trades
          trades import FILE [--index SLUG] [--format generic|binance|coinbase|kraken]
          pnl SLUG [--method fifo|average] [--year YYYY]   cost basis, realised and unrealised P&L
          rebalance SLUG --orders csv|json | --fills FILE   orders to execute elsewhere; record the fills
          holdings SLUG --check FILE         compare with a balances CSV (symbol,quantity); exit 1 on differences

        Every read command takes --json. Exit codes: 0 ok, 1 failure, 2 usage error.
        The database is --db, else $INDEXTOP_DB, else $XDG_DATA_HOME/indextop/indextop.db.
        'indextop help COMMAND' (or 'indextop COMMAND --help') explains one command.
        Options: '--name VALUE' or '--name=VALUE' (use the latter for a value starting with '-'), each at
        most once; '--' ends the options.
        """

    static let commands: [String: String] = [
        "dashboard":
            "indextop [--db PATH] [--theme NAME] [--themes-dir DIR] [--refresh SEC] [--config PATH] [--feed sim|coingecko|file:PATH|none] [--ascii] [--no-color]\n  The live dashboard. Keys: ↑↓/jk move, PgUp PgDn g G, Tab/←→/hl pane, 1-6 views, Enter open, Esc back, s/S sort, / filter,\n  r rebalance preview (y apply, n cancel), p pause, +/- refresh interval, t theme, x privacy, ? help, q quit.\n  Config: $XDG_CONFIG_HOME/indextop/indextop.conf (key = value; key.<command> = <key> remaps).",
        "init":
            "indextop init [--demo]\n  Creates the database (schema migrations). --demo adds ~28 assets, two years of simulated daily prices and the demo indices, replayed on their schedules.",
        "index":
            "indextop index create FILE.json | list | show SLUG | rm SLUG\n  create buys the targets with initial_capital at the latest prices (trigger 'initial').\n  The spec format is in the README (methodologies market-cap, sqrt-market-cap, equal, fixed, signal, trend, rsi).",
        "assets":
            "indextop assets list | add SYMBOL [--name N --sector S --coingecko-id ID --tokenmetrics-id ID --stablecoin] | import FILE\nindextop assets search TEXT\nindextop assets add --top N [--category ID] [--sector S] [--history DAYS]\nindextop assets add --coingecko-id ID [--symbol S] [--history DAYS]\n  import reads CSV 'symbol,name,sector,coingecko_id,stablecoin' (stablecoin true|false).\n  search, --top and --coingecko-id ask CoinGecko (the vault's key, else its keyless API), mark stablecoins from its\n  'stablecoins' category, refuse a symbol taken by another coin, and backfill DAYS of history (default 365, 0 for none).",
        "holdings":
            "indextop holdings SLUG [--json] [--check FILE]\n  Quantity, price, value, weight, target, drift, 24h change, signal and P&L of each holding.\n  --check FILE lists every difference with a balances CSV 'symbol,quantity' and exits 1 when there is one.",
        "rebalance":
            "indextop rebalance SLUG [--apply] [--reason TEXT] [--no-sell]\nindextop rebalance --due\nindextop rebalance SLUG --orders csv|json | --fills FILE\n  For a tracked index --apply records the plan as 'planned'; --orders prints it as orders (limit = latest price), --fills records what was executed (status 'executed', implementation shortfall).\n  Without --apply it is a dry run. --no-sell buys from cash only. --due applies scheduled, drift and DCA work that is due (for cron).\n  --apply asks for the passphrase of the vault that protects this database (bound when its first key was added, whatever --env says) again (--passphrase-fd N, --passphrase-file P or INDEXTOP_PASSPHRASE).",
        "trades":
            "indextop trades import FILE [--index SLUG] [--format generic|binance|coinbase|kraken]\n  Executed trades into a tracked index, all or nothing. Generic CSV 'time,symbol,side,quantity,price,fee[,fee_symbol][,venue][,id]' or JSONL with those keys;\n  the exchange exports are recognised by their header. An id already imported is skipped. --index may be left out when there is one tracked index.",
        "pnl":
            "indextop pnl SLUG [--method fifo|average] [--year YYYY] [--json]\n  Per asset and in total: quantity, cost basis (fees included), realised P&L (of YYYY with --year) and unrealised P&L at the latest prices.",
        "history": "indextop history SLUG [--limit N] [--json]\n  Rebalances newest first, with their trades.",
        "performance":
            "indextop performance SLUG [--json]\n  Returns 24h/7d/30d/all, CAGR, volatility, Sharpe, Sortino and max drawdown on the value per unit, against BTC and buy & hold.",
        "deposit":
            "indextop deposit SLUG AMOUNT\n  Issues units at the current value per unit and buys underweight constituents first, without selling.",
        "withdraw":
            "indextop withdraw SLUG AMOUNT\n  Sells every holding pro rata and redeems units at the current value per unit.",
        "import":
            "indextop import prices FILE | signals FILE\n  prices: CSV 'time,symbol,price[,market_cap,volume]' or JSONL with those keys (time ISO-8601 or Unix seconds).\n  signals: CSV 'time,symbol,signal[,score]' (signal bullish|neutral|bearish or 1|0|-1) or JSONL.\n  All or nothing: the first bad line is reported as FILE:LINE: FIELD: problem and nothing is stored.",
        "export":
            "indextop export SLUG --format csv|json\n  csv: the NAV history; json: spec, NAV history, holdings and rebalances.",
        "backtest":
            "indextop backtest FILE.json [--from DATE] [--to DATE] [--json]\n  Replays a spec over the stored prices with the same planner, fees and schedule; nothing is saved.",
        "signals":
            "indextop signals [SLUG] [--refresh] [--json]\n  Indicators, votes, score, label and conviction per asset, and the market regime\n  (breadth = fraction of the non-stablecoin universe labelled bearish, 0-1).",
        "snapshot":
            "indextop snapshot [--width W --height H --view N --index SLUG] [--preview] [--theme NAME] [--themes-dir DIR] [--ascii]\n  Prints the frame the dashboard would draw, as text (the theme is checked; text carries no colours).\n  --preview draws the rebalance preview of the index over it (nothing is applied).",
        "fetch":
            "indextop fetch [--provider coingecko|binance|tokenmetrics] [--plan demo|pro] [--base-url URL]\nindextop fetch --history DAYS [--provider coingecko|binance] [--rate N] [SYMBOL...]\n  One poll of a live provider, then exit (keys from the vault; binance needs none).\n  --history backfills the days not yet stored (idempotent, resumable), within the plan's rate limit (--rate: requests\n  a minute), then recomputes signals and NAVs; an asset the provider did not return is named and the exit code is 1.",
        "alerts":
            "indextop alerts [--json] [--all] [--ack ID]\n  Evaluates the alerts (drift, signal, regime, due, key, feed), runs alert_command for new ones,\n  and lists the open ones newest first (--all: cleared ones too). Exit 0 when none is new, 1 when\n  some are. --ack ID acknowledges one.",
        "keys": VaultCommands.keysUsage,
        "audit": VaultCommands.auditUsage,
        "scan": VaultCommands.scanUsage,
    ]

    /// The help of `topic` (the overview when nil); nil for an unknown topic.
    static func text(for topic: String?) -> String? {
        guard let topic else { return overview }
        return commands[topic]
    }

    /// The topics, for the error on an unknown one.
    static var topics: String { commands.keys.sorted().joined(separator: ", ") }
}
