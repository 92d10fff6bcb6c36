/// How well two values agree.
public enum ComparisonLevel: String, Codable, Sendable, CaseIterable {
    /// Equal after normalization.
    case exact
    /// Nearly equal (see each ``ComparisonField``).
    case close
    /// Somewhat alike.
    case similar
    /// Not alike.
    case different

    /// Position in ``allCases`` (the code in a comparison pattern).
    var code: UInt8 {
        switch self {
        case .exact: return 0
        case .close: return 1
        case .similar: return 2
        case .different: return 3
        }
    }

    /// The level of a code.
    init?(code: UInt8) {
        switch code {
        case 0: self = .exact
        case 1: self = .close
        case 2: self = .similar
        case 3: self = .different
        default: return nil
        }
    }
}
