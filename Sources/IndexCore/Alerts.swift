import Foundation

/// What an alert is about (DESIGN §10).
public enum AlertKind: String, Sendable, CaseIterable, Codable, Comparable {
    /// An index beyond its drift band.
    case drift
    /// A constituent's signal label flipped since the previous signal day.
    case signal
    /// The market's or a signal index's regime changed (after its confirmation days).
    case regime
    /// A scheduled, drift, risk-off rebalance or a DCA deposit is due.
    case due
    /// A key expires within 14 days, has expired, or was rejected by its provider.
    case key
    /// A feed is stale past three poll intervals, or stopped on an error.
    case feed

    public static func < (a: AlertKind, b: AlertKind) -> Bool { a.rawValue < b.rawValue }
}

/// The identity of an alert: one stored row per key while its condition holds. `index` is the
/// index slug ("" for market-wide alerts); `asset` is the symbol, key id or feed name ("" when none).
public struct AlertKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: AlertKind
    public var index: String
    public var asset: String

    public init(_ kind: AlertKind, index: String = "", asset: String = "") {
        self.kind = kind
        self.index = index
        self.asset = asset
    }

    public static func < (a: AlertKey, b: AlertKey) -> Bool {
        (a.kind.rawValue, a.index, a.asset) < (b.kind.rawValue, b.index, b.asset)
    }

    public var description: String { "\(kind.rawValue)/\(index)/\(asset)" }
}

/// A condition that holds now, with the one-line message to show for it.
public struct AlertCondition: Sendable, Equatable {
    public var key: AlertKey
    public var message: String

    public init(_ key: AlertKey, _ message: String) {
        self.key = key
        self.message = message
    }
}

/// Everything the evaluation looks at, gathered by the store (and the vault and feed for keys and
/// feeds). Pure data: the evaluation reads no clock or file.
public struct AlertInputs: Sendable {
    /// One index's state.
    public struct Index: Sendable {
        public var slug: String
        /// The band rule (drift_band / drift_band_relative).
        public var rule: RebalanceRule
        /// Current weight and target per holding or target symbol.
        public var weights: [Weight]
        /// Why a rebalance is due now (`scheduled`, `drift`, `risk-off`), from the store's due rule; nil when none.
        public var dueTrigger: String?
        /// Whether the spec's DCA deposit is due.
        public var dcaDue: Bool
        /// Symbols whose signal flips are reported for this index (holdings and targets).
        public var constituents: [String]
        /// For a signal index: the consecutive daily closes a regime change must hold (for the message).
        public var regimeConfirmDays: Int?
        /// For a signal index: the change of its regime in force made on the newest day, if any.
        public var regimeChange: (from: String, to: String)?

        public init(
            slug: String, rule: RebalanceRule, weights: [Weight], dueTrigger: String? = nil, dcaDue: Bool = false,
            constituents: [String] = [], regimeConfirmDays: Int? = nil, regimeChange: (from: String, to: String)? = nil
        ) {
            self.regimeChange = regimeChange
            self.slug = slug
            self.rule = rule
            self.weights = weights
            self.dueTrigger = dueTrigger
            self.dcaDue = dcaDue
            self.constituents = constituents
            self.regimeConfirmDays = regimeConfirmDays
        }
    }

    /// A holding's weight against its target, fractions.
    public struct Weight: Sendable, Equatable {
        public var symbol: String
        public var weight: Double
        public var target: Double
        public init(_ symbol: String, weight: Double, target: Double) {
            self.symbol = symbol
            self.weight = weight
            self.target = target
        }
    }

    /// A signal label on the newest signal day and on the signal day before it.
    public struct LabelChange: Sendable, Equatable {
        public var previous: String?
        public var current: String
        public init(previous: String?, current: String) {
            self.previous = previous
            self.current = current
        }
    }

    /// One key version, without its secret.
    public struct Key: Sendable, Equatable {
        /// `<provider>/<env>/<scope>`.
        public var id: String
        public var version: UInt32
        /// Whether the version may be handed out (active or pre-activation).
        public var usable: Bool
        /// Whether it is retired for good (deactivated or compromised): never alerted on.
        public var retired: Bool
        /// `not_after`, Unix seconds.
        public var expires: Int64
        /// The provider refused it after its last successful use.
        public var rejected: Bool
        public init(id: String, version: UInt32, usable: Bool, retired: Bool, expires: Int64, rejected: Bool) {
            self.id = id
            self.version = version
            self.usable = usable
            self.retired = retired
            self.expires = expires
            self.rejected = rejected
        }
    }

    /// One feed as its runner reports it.
    public struct Feed: Sendable, Equatable {
        /// `sim`, `coingecko`, `file:PATH`...
        public var name: String
        /// Seconds without a new price after which the feed is stale (the feed's own rule, three
        /// poll intervals for the polling feeds).
        public var staleAfter: Double
        /// Newest stored price time, Unix seconds; nil before the first.
        public var lastPriceTime: Int64?
        /// Set when the feed stopped on an error retrying cannot fix.
        public var stoppedError: String?
        public init(name: String, staleAfter: Double, lastPriceTime: Int64?, stoppedError: String? = nil) {
            self.name = name
            self.staleAfter = staleAfter
            self.lastPriceTime = lastPriceTime
            self.stoppedError = stoppedError
        }
    }

    /// Evaluation time, Unix seconds.
    public var now: Int64
    public var indices: [Index]
    /// Label changes by symbol (effective labels: an imported signal takes precedence).
    public var signals: [String: LabelChange]
    /// The market regime's risk (`low|medium|high`) per signal day, oldest first.
    public var regimeHistory: [String]
    /// Confirmation days of the market regime.
    public var marketConfirmDays: Int
    /// Key versions; nil = keys not evaluated this time (their alerts are left as they are).
    public var keys: [Key]?
    /// Running feeds; nil = feeds not evaluated this time.
    public var feeds: [Feed]?

    public init(
        now: Int64, indices: [Index] = [], signals: [String: LabelChange] = [:], regimeHistory: [String] = [],
        marketConfirmDays: Int = AlertRules.defaultConfirmDays, keys: [Key]? = nil, feeds: [Feed]? = nil
    ) {
        self.now = now
        self.indices = indices
        self.signals = signals
        self.regimeHistory = regimeHistory
        self.marketConfirmDays = marketConfirmDays
        self.keys = keys
        self.feeds = feeds
    }
}

/// The result of an evaluation: the conditions that hold, and which kinds were looked at (an alert
/// of a kind not looked at is neither raised nor cleared).
public struct AlertEvaluation: Sendable, Equatable {
    /// Sorted by key.
    public var conditions: [AlertCondition]
    public var evaluated: Set<AlertKind>
    /// The feeds looked at: a feed alert is cleared only when its feed was among them.
    public var feedNames: Set<String> = []

    /// Whether an open alert with `key` that no condition holds for should be cleared.
    public func covers(_ key: AlertKey) -> Bool {
        evaluated.contains(key.kind) && (key.kind != .feed || feedNames.contains(key.asset))
    }
}
