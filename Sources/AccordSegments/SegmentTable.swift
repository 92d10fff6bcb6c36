/// One attribute as a column: each row's values as codes into a dictionary of distinct values.
public struct AttributeColumn: Sendable {
    /// Row `i`'s values are `codes[offsets[i]..<offsets[i + 1]]`.
    public var offsets: [Int32]
    /// Value codes.
    public var codes: [Int32]
    /// The distinct values, by code.
    public var dictionary: [String]
}

/// Profiles in a compact, column-wise form for fast segment evaluation: stage numbers, unit bit
/// masks, dictionary-coded attribute columns, interactions as flat arrays and one consent status
/// byte per row for each channel and purpose. Built once per asking unit; filters then run over
/// plain arrays (``SegmentEngine``).
public struct SegmentTable: Sendable {
    /// Profile ids, by row.
    public internal(set) var ids: [String]
    /// Stage position per row (``noStage`` when no stage rule holds).
    public internal(set) var stages: [UInt8]
    /// The stage names, by position.
    public let stageNames: [String]
    /// Bit `u` set when the person is known to unit `unitNames[u]`.
    public internal(set) var units: [UInt64]
    /// Unit ids, by bit.
    public let unitNames: [String]
    /// Attribute columns (only attributes the asking unit may see).
    public internal(set) var attributes: [String: AttributeColumn]
    /// Interactions of row `i`: `interactionOffsets[i]..<interactionOffsets[i + 1]` into the arrays below.
    public internal(set) var interactionOffsets: [Int32]
    /// Interaction type codes (into ``interactionTypes``).
    public internal(set) var interactionType: [UInt16]
    /// Interaction channel codes (into ``interactionChannels``).
    public internal(set) var interactionChannel: [UInt16]
    /// Interaction times, milliseconds since 1970.
    public internal(set) var interactionAt: [Int64]
    /// Interaction type names by code.
    public internal(set) var interactionTypes: [String]
    /// Interaction channel names by code.
    public internal(set) var interactionChannels: [String]
    /// Consent per channel and purpose: ``ConsentStatus`` raw value, plus ``limitedFlag`` for an opt-down.
    public internal(set) var consent: [ConsentKey: [UInt8]]

    /// The stage value of a row with no stage.
    public static let noStage: UInt8 = 0xFF
    /// Set in a consent byte when the opt-in has a frequency limit (opt-down).
    public static let limitedFlag: UInt8 = 0x80

    /// The number of profiles.
    public var count: Int { ids.count }

    /// An empty table.
    /// - Parameters:
    ///   - stageNames: lifecycle stage names in policy order.
    ///   - unitNames: unit ids (at most 64).
    ///   - attributes: the attributes to keep columns of.
    ///   - consentKeys: the channels and purposes to keep consent of.
    public init(stageNames: [String], unitNames: [String], attributes: [String], consentKeys: [ConsentKey]) {
        precondition(unitNames.count <= 64, "a segment table holds at most 64 units")
        self.stageNames = stageNames
        self.unitNames = Array(unitNames)
        ids = []
        stages = []
        units = []
        self.attributes = Dictionary(uniqueKeysWithValues: attributes.map { ($0, AttributeColumn(offsets: [0], codes: [], dictionary: [])) })
        interactionOffsets = [0]
        interactionType = []
        interactionChannel = []
        interactionAt = []
        interactionTypes = []
        interactionChannels = []
        consent = Dictionary(uniqueKeysWithValues: consentKeys.map { ($0, []) })
        unitIndex = Dictionary(uniqueKeysWithValues: unitNames.enumerated().map { ($1, $0) })
        stageIndex = Dictionary(uniqueKeysWithValues: stageNames.enumerated().map { ($1, UInt8($0)) })
        self.attributeNames = Array(self.attributes.keys)
        self.consentKeys = Array(consent.keys)
    }

    private let unitIndex: [String: Int]
    // The column names apart from the dictionaries: a loop over `attributes.keys` while appending
    // would keep the dictionary's old storage alive, so every append copied whole columns.
    private var attributeNames: [String]
    private var consentKeys: [ConsentKey]
    private let stageIndex: [String: UInt8]
    private var valueCodes: [String: [String: Int32]] = [:]
    private var typeCodes: [String: UInt16] = [:]
    private var channelCodes: [String: UInt16] = [:]

    /// Adds a profile.
    /// - Parameters:
    ///   - facts: its facts (attributes outside the table's columns are dropped).
    ///   - stage: its lifecycle stage name, if any.
    public mutating func append(_ facts: PersonFacts, stage: String?) {
        ids.append(facts.id)
        stages.append(stage.flatMap { stageIndex[$0] } ?? Self.noStage)
        var mask: UInt64 = 0
        for unit in facts.units { if let bit = unitIndex[unit] { mask |= 1 << UInt64(bit) } }
        units.append(mask)
        for name in attributeNames {
            var column = attributes[name]!
            attributes[name] = nil
            for value in facts.values[name] ?? [] {
                let folded = value.lowercased()
                let code: Int32
                if let known = valueCodes[name]?[folded] {
                    code = known
                } else {
                    code = Int32(column.dictionary.count)
                    column.dictionary.append(folded)
                    valueCodes[name, default: [:]][folded] = code
                }
                column.codes.append(code)
            }
            column.offsets.append(Int32(column.codes.count))
            attributes[name] = column
        }
        for event in facts.interactions {
            interactionType.append(Self.code(event.type, in: &typeCodes, names: &interactionTypes))
            interactionChannel.append(Self.code(event.channel, in: &channelCodes, names: &interactionChannels))
            interactionAt.append(event.atMillis)
        }
        interactionOffsets.append(Int32(interactionAt.count))
        for key in consentKeys {
            let fact = facts.consent[key] ?? FactConsent(status: .none)
            consent[key]!.append(fact.status.rawValue | (fact.limited ? Self.limitedFlag : 0))
        }
    }

    private static func code(_ name: String, in codes: inout [String: UInt16], names: inout [String]) -> UInt16 {
        if let code = codes[name] { return code }
        let code = UInt16(truncatingIfNeeded: names.count)
        codes[name] = code
        names.append(name)
        return code
    }

    /// Builds a table from whole columns (for generated data, such as the benchmark's million rows).
    /// - Parameters:
    ///   - ids: profile ids.
    ///   - stages: stage positions per row.
    ///   - units: unit masks per row.
    ///   - attributes: attribute columns.
    ///   - consent: consent bytes per channel and purpose.
    public init(stageNames: [String], unitNames: [String], ids: [String], stages: [UInt8], units: [UInt64],
                attributes: [String: AttributeColumn], consent: [ConsentKey: [UInt8]]) {
        self.init(stageNames: stageNames, unitNames: unitNames, attributes: [], consentKeys: [])
        self.ids = ids
        self.stages = stages
        self.units = units
        self.attributes = attributes
        self.consent = consent
        attributeNames = Array(attributes.keys)
        consentKeys = Array(consent.keys)
        interactionOffsets = [Int32](repeating: 0, count: ids.count + 1)
    }
}
