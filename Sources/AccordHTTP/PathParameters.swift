/// The percent-decoded values of a matched route's path parameters.
public struct PathParameters: Sendable, Equatable {
    /// Parameter name to value.
    public let values: [String: String]

    /// Creates parameters (the router makes them; tests may too).
    public init(values: [String: String]) { self.values = values }

    /// The value of a parameter of the route's pattern. Asking for a name the pattern does not
    /// have is a programming error and traps.
    public subscript(name: String) -> String {
        guard let value = values[name] else { preconditionFailure("the route has no path parameter {\(name)}") }
        return value
    }
}
