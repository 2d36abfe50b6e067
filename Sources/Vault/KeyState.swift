/// The life-cycle state of a key version (NIST SP 800-57 Part 1, §7), stored as one byte in IDXV1.
public enum KeyState: UInt8, Sendable, CaseIterable, Codable {
    /// Stored but not yet proven to work (a freshly rotated version awaiting its first success).
    case preActivation = 1
    /// In use.
    case active = 2
    /// Temporarily unusable (`keys suspend`, or a new version the provider rejected).
    case suspended = 3
    /// Retired after a successful rotation; never used again.
    case deactivated = 4
    /// Revoked because it may have leaked; never used again.
    case compromised = 5

    /// The lower-case name used in JSON and on screen (`pre-activation`, `active`, ...).
    public var name: String {
        switch self {
        case .preActivation: return "pre-activation"
        case .active: return "active"
        case .suspended: return "suspended"
        case .deactivated: return "deactivated"
        case .compromised: return "compromised"
        }
    }

    /// Whether a version in this state may be handed to a caller (expiry is checked separately).
    public var isUsable: Bool { self == .active || self == .preActivation }
}
