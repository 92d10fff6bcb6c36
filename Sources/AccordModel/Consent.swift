/// Where a consent decision applies.
public enum ConsentScope: Hashable, Sendable, CustomStringConvertible {
    /// Only for the named unit.
    case unit(UnitID)
    /// For every unit of a line of business (as the policy assigns units to lines).
    case lineOfBusiness(String)
    /// For the whole company.
    case company

    /// `unit=retail`, `line=insurance` or `company`: the form used inside attribute names.
    public var description: String {
        switch self {
        case .unit(let unit): "unit=\(unit.rawValue)"
        case .lineOfBusiness(let line): "line=\(line)"
        case .company: "company"
        }
    }

    /// Parses the form written by ``description``.
    /// - Throws: ``ModelError`` `.malformed` for any other text.
    public init(parsing text: String) throws {
        if text == "company" {
            self = .company
        } else if text.hasPrefix("unit=") {
            self = .unit(try UnitID(String(text.dropFirst(5))))
        } else if text.hasPrefix("line="), Identifier.isValidName(String(text.dropFirst(5))) {
            self = .lineOfBusiness(String(text.dropFirst(5)))
        } else {
            throw ModelError(.malformed, "consent scope must be company, unit=<id> or line=<id>")
        }
    }
}

/// What a consent entry is about: a channel, a purpose and a scope. It is encoded into the
/// entry's attribute name as `consent:<channel>:<purpose>:<scope>`, so each combination is its
/// own register.
public struct ConsentTopic: Hashable, Sendable {
    /// The contact channel: `email`, `sms`, `phone`, `mail`, ... (an identifier).
    public let channel: String
    /// The purpose: `marketing`, `service`, ... (an identifier).
    public let purpose: String
    /// Where the decision applies.
    public let scope: ConsentScope

    /// Creates a topic, validating channel, purpose and line-of-business syntax.
    /// - Throws: ``ModelError`` `.invalidIdentifier`.
    public init(channel: String, purpose: String, scope: ConsentScope) throws {
        guard Identifier.isValidName(channel), Identifier.isValidName(purpose) else {
            throw ModelError(.invalidIdentifier, "consent channel and purpose must match [a-z][a-z0-9_-]{0,62}")
        }
        if case .lineOfBusiness(let line) = scope, !Identifier.isValidName(line) {
            throw ModelError(.invalidIdentifier, "consent line of business must match [a-z][a-z0-9_-]{0,62}")
        }
        self.channel = channel
        self.purpose = purpose
        self.scope = scope
    }

    /// The attribute name of this topic's register.
    public var attribute: AttributeName {
        AttributeName(unchecked: "consent:\(channel):\(purpose):\(scope)")
    }

    /// Reads a topic back from an attribute name; `nil` when the name is not a consent name.
    public init?(attribute: AttributeName) {
        let parts = attribute.rawValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "consent",
              let scope = try? ConsentScope(parsing: String(parts[3])),
              let topic = try? ConsentTopic(channel: String(parts[1]), purpose: String(parts[2]), scope: scope)
        else { return nil }
        self = topic
    }
}

/// A customer's consent decision with its evidence.
public struct ConsentDecision: Hashable, Sendable {
    /// Opt-in or opt-out.
    public enum Choice: UInt8, Sendable {
        /// The customer agreed.
        case optIn = 1
        /// The customer refused or withdrew.
        case optOut = 2
    }

    /// The decision.
    public var choice: Choice
    /// An agreed frequency for an opt-down (`monthly`), or `nil` for no limit.
    public var frequency: String?
    /// Whether the customer expressed the decision (true) or it is implied (false).
    public var expressed: Bool
    /// When the customer decided, milliseconds since 1970.
    public var decidedAtMillis: Int64
    /// How it was collected: `web-form`, `call-center`, `paper`, ...
    public var method: String
    /// The version of the notice shown to the customer.
    public var noticeVersion: String
    /// SHA-256 of the notice text, 32 bytes (or empty when not recorded).
    public var noticeHash: [UInt8]
    /// When the decision expires, milliseconds since 1970, if it does.
    public var expiresAtMillis: Int64?
    /// The unit through which the customer decided.
    public var collectedBy: UnitID

    /// Creates a decision.
    public init(
        choice: Choice, frequency: String? = nil, expressed: Bool, decidedAtMillis: Int64, method: String,
        noticeVersion: String, noticeHash: [UInt8], expiresAtMillis: Int64? = nil, collectedBy: UnitID
    ) {
        self.choice = choice
        self.frequency = frequency
        self.expressed = expressed
        self.decidedAtMillis = decidedAtMillis
        self.method = method
        self.noticeVersion = noticeVersion
        self.noticeHash = noticeHash
        self.expiresAtMillis = expiresAtMillis
        self.collectedBy = collectedBy
    }
}
