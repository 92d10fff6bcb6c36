/// Maps a method and a path to a target (a handler, or whatever the caller routes to), with path
/// parameters: a pattern such as `/v1/records/{unit}/{id}` matches `/v1/records/retail/C%2F1`
/// with `unit = retail`, `id = C/1` (segments are split before they are percent-decoded, so an
/// encoded `/` stays inside its parameter).
///
/// A GET route also answers HEAD. A path that matches with another method gives
/// ``Match/methodNotAllowed(_:)`` with the methods it allows; no match at all gives
/// ``Match/notFound``.
public struct Router<Target: Sendable>: Sendable {
    /// One registered route.
    public struct Route: Sendable {
        /// The method.
        public let method: HTTPMethod
        /// The pattern as registered, such as `/v1/records/{unit}/{id}`.
        public let pattern: String
        /// What the route leads to.
        public let target: Target
        fileprivate let segments: [Segment]
    }

    /// What a path and method lead to.
    public enum Match: Sendable {
        /// A route, with its path parameters.
        case matched(Route, PathParameters)
        /// The path exists, with other methods.
        case methodNotAllowed([HTTPMethod])
        /// No route has this path.
        case notFound
    }

    fileprivate enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    /// The routes in registration order.
    public private(set) var routes: [Route] = []

    /// An empty router.
    public init() {}

    /// Adds a route. Patterns are fixed at build time, so a malformed pattern (not starting with
    /// `/`, an empty segment, a repeated parameter name) or a duplicate route is a programming
    /// error and traps.
    /// - Parameters:
    ///   - method: the method.
    ///   - pattern: `/literal/{parameter}/...`.
    ///   - target: what the route leads to.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ target: Target) {
        precondition(pattern.hasPrefix("/"), "a route pattern starts with /: \(pattern)")
        let segments = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map { part -> Segment in
            precondition(!part.isEmpty, "a route pattern has no empty segments: \(pattern)")
            if part.hasPrefix("{") && part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        let names = segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
        precondition(Set(names).count == names.count, "a route pattern names each parameter once: \(pattern)")
        precondition(!routes.contains { $0.method == method && $0.segments == segments }, "duplicate route \(method.rawValue) \(pattern)")
        routes.append(Route(method: method, pattern: pattern, target: target, segments: segments))
    }

    /// The route for a method and a raw (percent-encoded) path.
    /// - Throws: ``HTTPError`` 400 when a path segment's percent-encoding is malformed.
    public func match(_ method: HTTPMethod, path: String) throws -> Match {
        guard path.hasPrefix("/") else { return .notFound }
        var decoded: [String] = []
        for part in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if !part.utf8.contains(UInt8(ascii: "%")) {
                decoded.append(String(part))
                continue
            }
            guard let text = PercentEncoding.decode(part, plusIsSpace: false) else {
                throw HTTPError(.badRequest, "the path holds malformed percent-encoding or bytes that are not UTF-8")
            }
            decoded.append(text)
        }
        var allowed: Set<HTTPMethod> = []
        var exact: Route?
        var getForHead: Route?
        for route in routes where Self.fits(route.segments, decoded) {
            allowed.insert(route.method)
            if route.method == .get { allowed.insert(.head) }
            if exact == nil && route.method == method { exact = route }
            if getForHead == nil && method == .head && route.method == .get { getForHead = route }
        }
        if let route = exact ?? getForHead { return .matched(route, Self.bind(route.segments, decoded)) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed.sorted())
    }

    /// Whether the parts have the pattern's length, its literals, and no empty parameter.
    private static func fits(_ segments: [Segment], _ parts: [String]) -> Bool {
        guard segments.count == parts.count else { return false }
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text): if text != part { return false }
            case .parameter: if part.isEmpty { return false }
            }
        }
        return true
    }

    private static func bind(_ segments: [Segment], _ parts: [String]) -> PathParameters {
        var values: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            if case .parameter(let name) = segment { values[name] = part }
        }
        return PathParameters(values: values)
    }
}
