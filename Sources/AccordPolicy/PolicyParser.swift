import Foundation

/// Turns a policy document into a validated `Policy`, walking the JSON tree so
/// that every error names its path. Sections are read in a fixed order
/// (format, federation, version, defaults, clock, units, shareClasses,
/// attributes), so later sections can check references to earlier ones.
struct PolicyParser {
    /// The only format this version reads.
    static let format = "accord-policy/1"
    /// Top-level keys that later formats will use; accepted and ignored for now.
    static let reservedTopLevelKeys: Set<String> = [
        "purposes",
    ]
    /// Share class names the federation keeps for itself.
    static let reservedShareClassNames: Set<String> = ["policy"]
    /// Attribute names that are record keys.
    static let reservedAttributeNames: Set<String> = ["id", "local_id"]

    let source: String

    /// Parses and validates a whole document.
    /// - Throws: `PolicyError` naming the path of the first problem found.
    func parse(_ bytes: [UInt8]) throws(PolicyError) -> Policy {
        let root = try JSONParser.parse(bytes, source: source)
        let top = try JSONObjectReader(root, path: .root, source: source)
        try top.checkKeys(
            allowed: ["format", "federation", "version", "defaults", "clock", "units", "shareClasses", "attributes", "writeRules",
                      "signature", "consent", "interactions", "erasure", "retention", "legalHolds",
                      "identityResolution", "survivorship", "reporting", "lifecycle"],
            reserved: PolicyParser.reservedTopLevelKeys)
        let format = try top.string("format")
        guard format == PolicyParser.format else {
            throw top.error(.invalidValue, "unsupported format \"\(format)\" (expected \"\(PolicyParser.format)\")", at: top.path.key("format"))
        }
        let federation = try identifier(top, "federation")
        let version = try top.integer("version", in: 1...Int64(Int.max))
        let defaults = try parseDefaults(try top.object("defaults"))
        let clock = try parseClock(try top.object("clock"))
        let units = try parseUnits(top, version: version)
        let unitIDs = Set(units.map(\.id))
        let shareClasses = try parseShareClasses(top, unitIDs: unitIDs)
        // Consent before the catalog: an attribute's purposes name the consent model's purposes.
        let consent = try parseConsent(top, shareClasses: shareClasses, units: units)
        let attributes = try parseAttributes(top, unitIDs: unitIDs, classNames: Set(shareClasses.map(\.name)), purposes: consent?.purposes)
        let writeRules = try parseWriteRules(top, unitIDs: unitIDs, attributeNames: Set(attributes.map(\.name)))
        let interactions = try parseInteractions(top, classNames: Set(shareClasses.map(\.name)))
        let erasure = try parseErasure(top, shareClasses: shareClasses, unitIDs: unitIDs, attributes: attributes,
                                       taken: [consent?.shareClass, interactions?.shareClass].compactMap { $0 })
        let retention = try parseRetention(top, classNames: Set(shareClasses.map(\.name)))
        let legalHolds = try parseLegalHolds(top, classNames: Set(shareClasses.map(\.name)), unitIDs: unitIDs)
        let attributeNames = Set(attributes.map(\.name))
        let identityResolution = try parseIdentityResolution(top, shareClasses: shareClasses, unitIDs: unitIDs, attributeNames: attributeNames)
        let survivorship = try parseSurvivorship(top, unitIDs: unitIDs, attributeNames: attributeNames)
        let lifecycle = try parseLifecycle(top, attributeNames: attributeNames, interactions: interactions)
        var reporting: ReportingPolicy?
        if top.value("reporting") != nil {
            let reader = try top.object("reporting")
            try reader.checkKeys(allowed: ["freshnessHours"])
            reporting = ReportingPolicy(freshnessHours: Int(try reader.integer(
                "freshnessHours", in: ReportingPolicy.freshnessHoursRange, default: Int64(ReportingPolicy.defaultFreshnessHours))))
        }
        var signature: PolicySignature?
        if top.value("signature") != nil {
            let reader = try top.object("signature")
            try reader.checkKeys(allowed: ["algorithm", "signer", "value"])
            guard try reader.string("algorithm") == "ed25519" else {
                throw reader.error(.invalidValue, "the only signature algorithm is \"ed25519\"", at: reader.path.key("algorithm"))
            }
            let signer = try reader.string("signer")
            guard let unit = units.first(where: { $0.id == signer }) else {
                throw reader.error(.unknownReference, "unknown unit \"\(signer)\"", at: reader.path.key("signer"))
            }
            guard unit.has(.governance) else {
                throw reader.error(.invalidValue, "unit \"\(signer)\" does not have the governance role", at: reader.path.key("signer"))
            }
            guard let value = Data(base64Encoded: try reader.string("value")), value.count == 64 else {
                throw reader.error(.invalidValue, "value must be the base64 of a 64-byte Ed25519 signature", at: reader.path.key("value"))
            }
            signature = PolicySignature(signer: signer, value: [UInt8](value))
        }
        return Policy(
            federation: federation, version: Int(version), defaults: defaults, clock: clock, units: units,
            shareClasses: shareClasses, attributes: attributes, writeRules: writeRules, consent: consent, interactions: interactions,
            erasure: erasure, retention: retention, legalHolds: legalHolds, identityResolution: identityResolution,
            survivorship: survivorship, reporting: reporting, signature: signature, lifecycle: lifecycle)
    }

    // MARK: Sections

    private func parseDefaults(_ reader: JSONObjectReader) throws(PolicyError) -> PolicyDefaults {
        try reader.checkKeys(allowed: ["country", "dateOrder"])
        let country = try countryCode(reader, "country")
        let dateOrder: DateOrder = try choice(reader, "dateOrder", what: "date order")
        return PolicyDefaults(country: country, dateOrder: dateOrder)
    }

    private func parseClock(_ reader: JSONObjectReader) throws(PolicyError) -> ClockPolicy {
        try reader.checkKeys(allowed: ["maxFutureMillis"])
        return ClockPolicy(maxFutureMillis: try reader.integer("maxFutureMillis", in: ClockPolicy.maxFutureMillisRange))
    }

    private func parseUnits(_ top: JSONObjectReader, version: Int64) throws(PolicyError) -> [UnitDefinition] {
        let elements = try top.array("units")
        guard !elements.isEmpty else {
            throw top.error(.invalidValue, "a federation needs at least one unit", at: top.path.key("units"))
        }
        var units: [UnitDefinition] = []
        var firstIndex: [String: Int] = [:]
        for (index, element) in elements.enumerated() {
            let reader = try JSONObjectReader(element, path: top.path.key("units").index(index), source: source)
            try reader.checkKeys(allowed: ["id", "name", "roles", "lineOfBusiness", "country", "signingKey", "previousSigningKeys", "endpoint",
                                           "certificateIdentity"])
            let id = try identifier(reader, "id")
            if let first = firstIndex[id] {
                throw reader.error(.duplicate, "duplicate unit id \"\(id)\" (first defined at $.units[\(first)])", at: reader.path.key("id"))
            }
            firstIndex[id] = index
            let name = try reader.optionalString("name") ?? id
            if name.isEmpty {
                throw reader.error(.invalidValue, "name must not be empty (omit it to use the id)", at: reader.path.key("name"))
            }
            let roles: [UnitRole] = try choices(reader, "roles", what: "role")
            let lineOfBusiness = try reader.value("lineOfBusiness") == nil ? nil : identifier(reader, "lineOfBusiness")
            let country = try reader.value("country") == nil ? nil : countryCode(reader, "country")
            var signingKey: [UInt8]?
            if let text = try reader.optionalString("signingKey") {
                guard let data = Data(base64Encoded: text), data.count == 32 else {
                    throw reader.error(
                        .invalidValue, "signingKey must be the base64 of a 32-byte Ed25519 public key", at: reader.path.key("signingKey"))
                }
                signingKey = [UInt8](data)
            }
            let previous = try previousSigningKeys(reader, current: signingKey, policyVersion: version)
            let endpoint = try reader.optionalString("endpoint")
            if let endpoint, !PolicyParser.isEndpoint(endpoint) {
                throw reader.error(.invalidValue, "endpoint must be HOST:PORT with a port from 1 to 65535, such as \"10.0.0.7:7401\"",
                                   at: reader.path.key("endpoint"))
            }
            let identity = try reader.optionalString("certificateIdentity")
            if let identity, identity != UnitDefinition.defaultCertificateIdentity(id) {
                throw reader.error(.invalidValue, "certificateIdentity must be \"\(UnitDefinition.defaultCertificateIdentity(id))\": "
                    + "a unit's certificate names it by the SAN URI accord://unit/<id>", at: reader.path.key("certificateIdentity"))
            }
            units.append(
                UnitDefinition(
                    id: id, name: name, roles: Set(roles), lineOfBusiness: lineOfBusiness, country: country,
                    signingKey: signingKey, previousSigningKeys: previous, endpoint: endpoint, certificateIdentity: identity))
        }
        return units
    }

    private func parseShareClasses(_ top: JSONObjectReader, unitIDs: Set<String>) throws(PolicyError)
        -> [ShareClassDefinition]
    {
        var classes: [ShareClassDefinition] = []
        var firstIndex: [String: Int] = [:]
        for (index, element) in try top.array("shareClasses").enumerated() {
            let reader = try JSONObjectReader(element, path: top.path.key("shareClasses").index(index), source: source)
            try reader.checkKeys(allowed: ["name", "description", "audience"])
            let name = try identifier(reader, "name")
            if PolicyParser.reservedShareClassNames.contains(name) {
                throw reader.error(.invalidValue, "share class name \"\(name)\" is reserved", at: reader.path.key("name"))
            }
            if let first = firstIndex[name] {
                throw reader.error(.duplicate, "duplicate share class \"\(name)\" (first defined at $.shareClasses[\(first)])", at: reader.path.key("name"))
            }
            firstIndex[name] = index
            let description = try reader.optionalString("description") ?? ""
            let audiencePath = reader.path.key("audience")
            let audience: Audience
            switch try reader.required("audience") {
            case .string(let word):
                guard word == "all" else {
                    throw reader.error(.invalidValue, "audience must be \"all\" or an array of unit ids, found \"\(word)\"", at: audiencePath)
                }
                audience = .all
            case .array:
                audience = .units(try unitReferences(reader, "audience", unitIDs: unitIDs))
            case let other:
                throw reader.error(.wrongType, "expected \"all\" or array of unit ids, found \(other.typeName)", at: audiencePath)
            }
            classes.append(ShareClassDefinition(name: name, description: description, audience: audience))
        }
        return classes
    }

    private func parseAttributes(_ top: JSONObjectReader, unitIDs: Set<String>, classNames: Set<String>, purposes known: Set<String>?)
        throws(PolicyError) -> [AttributeDefinition]
    {
        var attributes: [AttributeDefinition] = []
        var firstIndex: [String: Int] = [:]
        for (index, element) in try top.array("attributes").enumerated() {
            let reader = try JSONObjectReader(element, path: top.path.key("attributes").index(index), source: source)
            try reader.checkKeys(allowed: [
                "name", "type", "multiValued", "shareClass", "pii", "maxLength", "allowedValues", "pattern", "authors",
                "required", "purposes",
            ])
            let name = try identifier(reader, "name")
            if PolicyParser.reservedAttributeNames.contains(name) {
                throw reader.error(.invalidValue, "attribute name \"\(name)\" is reserved (it is a record key)", at: reader.path.key("name"))
            }
            if let first = firstIndex[name] {
                throw reader.error(.duplicate, "duplicate attribute \"\(name)\" (first defined at $.attributes[\(first)])", at: reader.path.key("name"))
            }
            firstIndex[name] = index
            let type: AttributeType = try choice(reader, "type", what: "attribute type")
            let multiValued = try reader.bool("multiValued", default: false)
            let shareClass = try reader.string("shareClass")
            guard classNames.contains(shareClass) else {
                throw reader.error(.unknownReference, "unknown share class \"\(shareClass)\"", at: reader.path.key("shareClass"))
            }
            let pii: PIIClass = try choice(reader, "pii", what: "PII class")
            let range = AttributeDefinition.maxLengthRange
            let maxLength = Int(
                try reader.integer(
                    "maxLength", in: Int64(range.lowerBound)...Int64(range.upperBound),
                    default: Int64(AttributeDefinition.defaultMaxLength)))
            let allowedValues = try parseAllowedValues(reader, type: type, maxLength: maxLength)
            let pattern = try reader.optionalString("pattern")
            if let pattern {
                do {
                    _ = try NSRegularExpression(pattern: pattern)
                } catch {
                    throw reader.error(.invalidValue, "pattern is not a valid regular expression", at: reader.path.key("pattern"))
                }
            }
            let authors = try reader.value("authors") == nil ? nil : unitReferences(reader, "authors", unitIDs: unitIDs)
            let required = try reader.bool("required", default: false)
            let purposes = try reader.value("purposes") == nil ? nil : parsePurposes(reader, known: known)
            attributes.append(
                AttributeDefinition(
                    name: name, type: type, multiValued: multiValued, shareClass: shareClass, pii: pii,
                    maxLength: maxLength, allowedValues: allowedValues, pattern: pattern, authors: authors,
                    required: required, purposes: purposes))
        }
        return attributes
    }

    /// An attribute's `purposes`: purposes of the consent model, each once; may be empty (kept for no purpose).
    private func parsePurposes(_ reader: JSONObjectReader, known: Set<String>?) throws(PolicyError) -> Set<String> {
        let path = reader.path.key("purposes")
        guard let known else {
            throw reader.error(.invalidValue, "purposes name the consent model's purposes, but the policy has no consent section", at: path)
        }
        var result = Set<String>()
        for (index, element) in try reader.array("purposes").enumerated() {
            let purpose = try reader.string(element, at: path.index(index))
            guard known.contains(purpose) else {
                throw reader.error(.unknownReference, "unknown purpose \"\(purpose)\" (the consent model's purposes are \(known.sorted().joined(separator: ", ")))",
                                   at: path.index(index))
            }
            guard result.insert(purpose).inserted else { throw reader.error(.duplicate, "duplicate purpose \"\(purpose)\"", at: path.index(index)) }
        }
        return result
    }

    private func parseAllowedValues(_ reader: JSONObjectReader, type: AttributeType, maxLength: Int)
        throws(PolicyError) -> [String]?
    {
        let path = reader.path.key("allowedValues")
        guard type == .enumeration else {
            if reader.value("allowedValues") != nil {
                throw reader.error(.invalidValue, "allowedValues is only allowed for type \"enum\"", at: path)
            }
            return nil
        }
        let elements = try reader.array("allowedValues")
        guard !elements.isEmpty else {
            throw reader.error(.invalidValue, "allowedValues must not be empty", at: path)
        }
        var values: [String] = []
        var seen = Set<String>()
        for (index, element) in elements.enumerated() {
            let value = try reader.string(element, at: path.index(index))
            guard !value.isEmpty, value.count <= maxLength else {
                throw reader.error(.invalidValue, "allowed value must have 1...\(maxLength) characters", at: path.index(index))
            }
            guard seen.insert(value).inserted else {
                throw reader.error(.duplicate, "duplicate allowed value \"\(value)\"", at: path.index(index))
            }
            values.append(value)
        }
        return values
    }

    // MARK: Field helpers

    /// A required id: `^[a-z][a-z0-9_-]{0,62}$`.
    func identifier(_ reader: JSONObjectReader, _ key: String) throws(PolicyError) -> String {
        let text = try reader.string(key)
        guard PolicyParser.isIdentifier(text) else {
            throw reader.error(
                .invalidValue, "\"\(text)\" is not a valid id (lowercase letter, then up to 62 of a-z, 0-9, '_', '-')",
                at: reader.path.key(key))
        }
        return text
    }

    /// A required ISO 3166-1 alpha-2 code.
    private func countryCode(_ reader: JSONObjectReader, _ key: String) throws(PolicyError) -> String {
        let text = try reader.string(key)
        guard CountryCodes.isValid(text) else {
            throw reader.error(.invalidValue, "\"\(text)\" is not an ISO 3166-1 alpha-2 country code (such as \"DE\")", at: reader.path.key(key))
        }
        return text
    }

    /// A required string that must be one of an enum's raw values.
    private func choice<T: RawRepresentable & CaseIterable>(_ reader: JSONObjectReader, _ key: String, what: String)
        throws(PolicyError) -> T where T.RawValue == String
    {
        try choice(try reader.required(key), at: reader.path.key(key), reader: reader, what: what)
    }

    private func choice<T: RawRepresentable & CaseIterable>(
        _ value: JSONValue, at path: JSONPath, reader: JSONObjectReader, what: String
    ) throws(PolicyError) -> T where T.RawValue == String {
        let text = try reader.string(value, at: path)
        guard let result = T(rawValue: text) else {
            let expected = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw reader.error(.invalidValue, "unknown \(what) \"\(text)\" (expected one of: \(expected))", at: path)
        }
        return result
    }

    /// A required non-empty array of distinct enum raw values.
    private func choices<T: RawRepresentable & CaseIterable & Hashable>(
        _ reader: JSONObjectReader, _ key: String, what: String
    ) throws(PolicyError) -> [T] where T.RawValue == String {
        let path = reader.path.key(key)
        let elements = try reader.array(key)
        guard !elements.isEmpty else { throw reader.error(.invalidValue, "\(key) must not be empty", at: path) }
        var result: [T] = []
        for (index, element) in elements.enumerated() {
            let item: T = try choice(element, at: path.index(index), reader: reader, what: what)
            if result.contains(item) {
                throw reader.error(.duplicate, "duplicate \(what) \"\(item.rawValue)\"", at: path.index(index))
            }
            result.append(item)
        }
        return result
    }

    /// A required non-empty array of distinct ids of units the policy defines.
    private func parseWriteRules(_ top: JSONObjectReader, unitIDs: Set<String>, attributeNames: Set<String>)
        throws(PolicyError) -> [WriteRule]
    {
        guard let elements = try top.optionalArray("writeRules") else { return [] }
        var rules: [WriteRule] = []
        for (index, element) in elements.enumerated() {
            let reader = try JSONObjectReader(element, path: top.path.key("writeRules").index(index), source: source)
            try reader.checkKeys(allowed: ["writer", "attributes", "owners"])
            let writer = try reader.string("writer")
            guard unitIDs.contains(writer) else {
                throw reader.error(.unknownReference, "unknown unit \"\(writer)\"", at: reader.path.key("writer"))
            }
            let path = reader.path.key("attributes")
            let names = try reader.array("attributes")
            guard !names.isEmpty else { throw reader.error(.invalidValue, "attributes must name at least one attribute", at: path) }
            var attributes = Set<String>()
            for (position, name) in names.enumerated() {
                let attribute = try reader.string(name, at: path.index(position))
                guard attributeNames.contains(attribute) else {
                    throw reader.error(.unknownReference, "unknown attribute \"\(attribute)\"", at: path.index(position))
                }
                guard attributes.insert(attribute).inserted else {
                    throw reader.error(.duplicate, "duplicate attribute \"\(attribute)\"", at: path.index(position))
                }
            }
            let owners = try reader.value("owners") == nil ? nil : unitReferences(reader, "owners", unitIDs: unitIDs)
            rules.append(WriteRule(writer: writer, attributes: attributes, owners: owners))
        }
        return rules
    }

    func unitReferences(_ reader: JSONObjectReader, _ key: String, unitIDs: Set<String>) throws(PolicyError)
        -> Set<String>
    {
        let path = reader.path.key(key)
        let elements = try reader.array(key)
        guard !elements.isEmpty else {
            throw reader.error(.invalidValue, "\(key) must name at least one unit", at: path)
        }
        var ids = Set<String>()
        for (index, element) in elements.enumerated() {
            let id = try reader.string(element, at: path.index(index))
            guard unitIDs.contains(id) else {
                throw reader.error(.unknownReference, "unknown unit \"\(id)\"", at: path.index(index))
            }
            guard ids.insert(id).inserted else {
                throw reader.error(.duplicate, "duplicate unit \"\(id)\"", at: path.index(index))
            }
        }
        return ids
    }

    /// Whether a string matches `^[a-z][a-z0-9_-]{0,62}$`.
    static func isIdentifier(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let first = bytes.first, (1...63).contains(bytes.count), (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
