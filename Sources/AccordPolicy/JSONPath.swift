/// A JSON path such as `$.attributes[3].type`, built while walking a document.
struct JSONPath: Sendable, CustomStringConvertible {
    enum Component: Sendable {
        case key(String)
        case index(Int)
    }

    private(set) var components: [Component] = []

    /// The document root, `$`.
    static let root = JSONPath()

    /// The path of a member of the object at this path.
    func key(_ name: String) -> JSONPath {
        var copy = self
        copy.components.append(.key(name))
        return copy
    }

    /// The path of an element of the array at this path.
    func index(_ position: Int) -> JSONPath {
        var copy = self
        copy.components.append(.index(position))
        return copy
    }

    mutating func push(_ component: Component) { components.append(component) }

    mutating func pop() { components.removeLast() }

    /// `$`, then `.key` for identifier-like keys, `["key"]` otherwise, and `[n]` for indices.
    var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .index(let position):
                text += "[\(position)]"
            case .key(let name):
                if JSONPath.isPlainKey(name) {
                    text += "." + name
                } else {
                    text += "[" + CanonicalJSONWriter.quoted(name) + "]"
                }
            }
        }
        return text
    }

    private static func isPlainKey(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
