/// A normalized attribute value of an imported record.
public enum ImportedValue: Sendable, Equatable {
    /// One normalized value.
    case single(String)
    /// Several normalized values: deduplicated and sorted in UTF-8 byte order.
    case multiple([String])

    /// All values as an array (one element for `.single`).
    public var values: [String] {
        switch self {
        case .single(let value): return [value]
        case .multiple(let values): return values
        }
    }
}
