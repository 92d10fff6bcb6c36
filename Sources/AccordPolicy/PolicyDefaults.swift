/// How to read ambiguous numeric dates such as `03/04/2024`.
public enum DateOrder: String, Sendable, CaseIterable {
    /// Day, month, year (`03/04/2024` is 3 April).
    case dayFirst
    /// Month, day, year (`03/04/2024` is 4 March).
    case monthFirst
    /// Year, month, day (`2024/04/03`).
    case yearFirst
}

/// Federation-wide defaults for normalizing imported data.
public struct PolicyDefaults: Sendable, Equatable {
    /// ISO 3166-1 alpha-2 country assumed for phone numbers and addresses without one.
    public let country: String
    /// How ambiguous numeric dates are read.
    public let dateOrder: DateOrder

    /// Creates defaults.
    /// - Parameters:
    ///   - country: ISO alpha-2 country.
    ///   - dateOrder: date order.
    public init(country: String, dateOrder: DateOrder) {
        self.country = country
        self.dateOrder = dateOrder
    }
}
