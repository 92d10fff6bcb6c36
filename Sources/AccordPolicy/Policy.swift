import Foundation
public import AccordConsolidation

/// A federation's governance policy: members, share classes and the attribute
/// catalog, validated as a whole.
///
/// A `Policy` is only made by `load(contentsOf:)` or `parse(_:source:)`, so
/// every value of this type has passed validation: ids are well formed and
/// unique, and every reference (share class, audience, author) resolves.
/// Lookups by id or name are O(1).
public struct Policy: Sendable, Equatable {
    /// The federation's id, such as `acme`.
    public let federation: String
    /// The policy version (>= 1); a node only accepts newer versions.
    public let version: Int
    /// Defaults for normalizing imported data.
    public let defaults: PolicyDefaults
    /// Clock bounds.
    public let clock: ClockPolicy
    /// The members, in policy order.
    public let units: [UnitDefinition]
    /// The share classes, in policy order.
    public let shareClasses: [ShareClassDefinition]
    /// The attribute catalog, in policy order.
    public let attributes: [AttributeDefinition]
    /// Who may write which attributes on records other units own, in policy order.
    public let writeRules: [WriteRule]
    /// The consent model, if the federation records consent.
    public let consent: ConsentModel?
    /// Interaction event types and their retention, if the federation records interactions.
    public let interactions: InteractionModel?
    /// How people are erased, if the federation erases through Accord.
    public let erasure: ErasureModel?
    /// Retention per share class, in days: an entry expires that long after its clock reading.
    public let retention: [String: Int]
    /// Legal holds, in policy order: what they cover is kept whatever erasure and retention say.
    public let legalHolds: [LegalHold]
    /// Identity resolution as the document sets it; `nil` when it has no such section (then
    /// ``resolutionRules`` and ``matchParameters`` are the built-in defaults).
    public let identityResolution: IdentityResolutionPolicy?
    /// Survivorship per attribute as the document sets it; `nil` when absent (see ``survivorshipRules``).
    public let survivorship: SurvivorshipRules?
    /// The dashboard's thresholds, when the policy sets them (see ``freshnessHours`` for the value in force).
    public let reporting: ReportingPolicy?
    /// The lifecycle vocabulary (ordered stages with their rules), if the policy defines one.
    public let lifecycle: LifecycleModel?
    /// The governance signature, if the document carries one (checked by the node, which holds the keys).
    public let signature: PolicySignature?

    private let unitIndex: [String: Int]
    private let shareClassIndex: [String: Int]
    private let attributeIndex: [String: Int]

    /// The largest policy file `load(contentsOf:)` reads.
    public static let maxFileSize = 16 << 20

    init(
        federation: String, version: Int, defaults: PolicyDefaults, clock: ClockPolicy, units: [UnitDefinition],
        shareClasses: [ShareClassDefinition], attributes: [AttributeDefinition], writeRules: [WriteRule] = [],
        consent: ConsentModel? = nil, interactions: InteractionModel? = nil, erasure: ErasureModel? = nil,
        retention: [String: Int] = [:], legalHolds: [LegalHold] = [], identityResolution: IdentityResolutionPolicy? = nil,
        survivorship: SurvivorshipRules? = nil, reporting: ReportingPolicy? = nil, signature: PolicySignature? = nil,
        lifecycle: LifecycleModel? = nil
    ) {
        self.lifecycle = lifecycle
        self.identityResolution = identityResolution
        self.survivorship = survivorship
        self.reporting = reporting
        self.erasure = erasure
        self.retention = retention
        self.legalHolds = legalHolds
        self.federation = federation
        self.version = version
        self.defaults = defaults
        self.clock = clock
        self.units = units
        self.shareClasses = shareClasses
        self.attributes = attributes
        self.writeRules = writeRules
        self.consent = consent
        self.interactions = interactions
        self.signature = signature
        unitIndex = Dictionary(units.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        shareClassIndex = Dictionary(
            shareClasses.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        attributeIndex = Dictionary(
            attributes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: Loading

    /// Reads and validates a policy file.
    /// - Parameter path: the file's path.
    /// - Returns: the validated policy.
    /// - Throws: `PolicyError`; its `source` (and so its description) starts with the file name,
    ///   `.unreadable` when the file cannot be read or exceeds `maxFileSize`.
    public static func load(contentsOf path: String) throws -> Policy {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PolicyError(.unreadable, "cannot read \(path): \(error.localizedDescription)", path: "", source: name)
        }
        guard data.count <= maxFileSize else {
            throw PolicyError(.unreadable, "\(path) is larger than \(maxFileSize) bytes", path: "", source: name)
        }
        return try parse(Array(data), source: name)
    }

    /// Parses and validates a policy document.
    /// - Parameters:
    ///   - data: the document's UTF-8 bytes.
    ///   - source: a label for error messages, such as the file name.
    /// - Returns: the validated policy.
    /// - Throws: `PolicyError` naming the JSON path of the first problem found.
    public static func parse(_ data: [UInt8], source: String = "policy") throws -> Policy {
        try PolicyParser(source: source).parse(data)
    }

    // MARK: Lookups

    /// The member with this id, if any.
    /// - Parameter id: a unit id.
    public func unit(_ id: String) -> UnitDefinition? {
        unitIndex[id].map { units[$0] }
    }

    /// The attribute with this name, if any.
    /// - Parameter name: an attribute name.
    public func attribute(_ name: String) -> AttributeDefinition? {
        attributeIndex[name].map { attributes[$0] }
    }

    /// The share class with this name, if any.
    /// - Parameter name: a share class name.
    public func shareClass(_ name: String) -> ShareClassDefinition? {
        shareClassIndex[name].map { shareClasses[$0] }
    }

    /// Whether the unit is a member of the federation.
    /// - Parameter unit: a unit id.
    public func isMember(_ unit: String) -> Bool {
        unitIndex[unit] != nil
    }

    /// Whether the unit may receive entries of the share class: it is a member
    /// and in the class's audience. Unknown classes are never received.
    /// - Parameters:
    ///   - unit: a unit id.
    ///   - shareClass: a share class name.
    public func mayReceive(unit: String, shareClass: String) -> Bool {
        guard isMember(unit), let definition = self.shareClass(shareClass) else { return false }
        return definition.audience.includes(unit)
    }

    /// Whether the unit may author entries of the attribute (data minimization).
    ///
    /// The unit must be a member and the attribute defined. If the attribute lists
    /// `authors`, the unit must be one of them; otherwise the unit must have role `unit`.
    /// - Parameters:
    ///   - unit: a unit id.
    ///   - attribute: an attribute name.
    /// - Returns: `.allowed`, or `.denied` with a reason naming the rule and the policy version.
    public func mayAuthor(unit: String, attribute: String) -> PolicyDecision {
        guard let member = self.unit(unit) else {
            return .denied(reason: "unit \"\(unit)\" is not a member of federation \"\(federation)\" (policy v\(version))")
        }
        guard let definition = self.attribute(attribute) else {
            return .denied(reason: "attribute \"\(attribute)\" is not defined (policy v\(version))")
        }
        if let authors = definition.authors {
            guard authors.contains(unit) else {
                return .denied(
                    reason: "unit \"\(unit)\" may not author attribute \"\(attribute)\" "
                        + "(policy v\(version): authors are \(authors.sorted().joined(separator: ", ")))")
            }
            return .allowed
        }
        guard member.has(.unit) else {
            return .denied(
                reason: "unit \"\(unit)\" may not author attribute \"\(attribute)\" "
                    + "(policy v\(version): authors are the units with role \"unit\")")
        }
        return .allowed
    }

    /// The share class of an attribute: from the catalog, or the consent model's class for consent
    /// entries (`consent:<channel>:<purpose>:<scope>`), likewise for interaction, erasure and steward
    /// decision entries; `nil` when unknown.
    public func shareClass(ofAttribute name: String) -> String? {
        if let definition = attribute(name) { return definition.shareClass }
        if name.hasPrefix("consent:"), let consent { return consent.shareClass }
        if name.hasPrefix("interaction:"), let interactions { return interactions.shareClass }
        if name.hasPrefix("erasure:"), let erasure { return erasure.shareClass }
        if name.hasPrefix("steward:"), let stewardship = identityResolution?.stewardship { return stewardship.shareClass }
        return nil
    }

    /// The first legal hold that covers one share class of one record, if any.
    /// - Parameters:
    ///   - record: the record as `unit/localId`.
    ///   - shareClass: the share class.
    public func legalHold(record: String, shareClass: String) -> LegalHold? {
        legalHolds.first { $0.covers(record: record, shareClass: shareClass) }
    }

    /// Whether the unit may request an erasure: the policy has an erasure model listing it.
    /// - Returns: `.allowed`, or `.denied` naming the requesters.
    public func mayRequestErasure(unit: String) -> PolicyDecision {
        guard let erasure else { return .denied(reason: "policy v\(version) has no erasure section") }
        guard erasure.requesters.contains(unit) else {
            return .denied(reason: "unit \"\(unit)\" may not request erasure "
                + "(policy v\(version): requesters are \(erasure.requesters.sorted().joined(separator: ", ")))")
        }
        return .allowed
    }

    /// Whether `writer` may write `attribute` on a record that `owner` owns: on its own records when
    /// it may author the attribute (``mayAuthor(unit:attribute:)``), on others' when a write rule lets it.
    /// - Parameters:
    ///   - writer: the unit that wrote the entry.
    ///   - owner: the unit that owns the record.
    ///   - attribute: the attribute written.
    /// - Returns: `.allowed`, or `.denied` with a reason naming the rule and the policy version.
    public func mayWrite(writer: String, owner: String, attribute: String) -> PolicyDecision {
        let authoring = mayAuthor(unit: writer, attribute: attribute)
        guard writer != owner, authoring.isAllowed else { return authoring }
        guard isMember(owner) else {
            return .denied(reason: "record owner \"\(owner)\" is not a member of federation \"\(federation)\" (policy v\(version))")
        }
        let allowed = writeRules.contains { rule in
            rule.writer == writer && rule.attributes.contains(attribute) && (rule.owners?.contains(owner) ?? true)
        }
        return allowed
            ? .allowed
            : .denied(reason: "unit \"\(writer)\" may not write attribute \"\(attribute)\" on records of \"\(owner)\" (policy v\(version): no write rule)")
    }

    // MARK: Equality

    /// Compares every field of the policy.
    public static func == (lhs: Policy, rhs: Policy) -> Bool {
        lhs.federation == rhs.federation && lhs.version == rhs.version && lhs.defaults == rhs.defaults
            && lhs.clock == rhs.clock && lhs.units == rhs.units && lhs.shareClasses == rhs.shareClasses
            && lhs.attributes == rhs.attributes && lhs.writeRules == rhs.writeRules && lhs.consent == rhs.consent && lhs.interactions == rhs.interactions
            && lhs.erasure == rhs.erasure && lhs.retention == rhs.retention && lhs.legalHolds == rhs.legalHolds
            && lhs.identityResolution == rhs.identityResolution && lhs.survivorship == rhs.survivorship && lhs.reporting == rhs.reporting
            && lhs.signature == rhs.signature && lhs.lifecycle == rhs.lifecycle
    }
}
