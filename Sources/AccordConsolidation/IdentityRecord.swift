public import AccordModel

/// What the resolver knows of one record: its key, when it was created, and its attribute values
/// as text (raw or already import-normalized; the matcher normalizes again for matching).
public struct IdentityRecord: Sendable, Equatable {
    /// The record (`unit/localId`).
    public var key: RecordKey
    /// When the record was created: the earliest clock reading among its entries. Profile ids are
    /// anchored on the earliest-created record of a cluster, so this must be the same on every node.
    public var created: HLC
    /// Attribute → values (one for scalars; several for multi-valued attributes or when several
    /// authors hold a value). Attributes the rules do not map are ignored.
    public var attributes: [AttributeName: [String]]

    /// Creates a record.
    public init(key: RecordKey, created: HLC, attributes: [AttributeName: [String]]) {
        self.key = key
        self.created = created
        self.attributes = attributes
    }

    /// A record from the registers its authors hold on it (as the store keeps them): `created` is the
    /// earliest clock reading, the values are every author's current text and set values (deleted
    /// registers, consent and interaction entries are left out).
    /// - Parameters:
    ///   - key: the record.
    ///   - states: the record state of each author that wrote on it.
    public init(key: RecordKey, states: [RecordState]) {
        var created: HLC?
        var attributes: [AttributeName: [String]] = [:]
        for state in states {
            for entry in state.entries {
                created = min(created ?? entry.register.hlc, entry.register.hlc)
                switch entry.register.value {
                case .text(let text): attributes[entry.attribute, default: []].append(text)
                case .set(let items): attributes[entry.attribute, default: []].append(contentsOf: items)
                case .consent, .interaction, .erasureRequest, .erasureAcknowledgement, nil: break
                }
            }
        }
        self.init(key: key, created: created ?? .zero, attributes: attributes)
    }
}
