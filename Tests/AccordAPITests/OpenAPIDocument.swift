import AccordHTTP
import Foundation

/// `docs/openapi.json` read for checking: which operations it documents, and whether a response
/// has a documented status and a body matching its schema (a subset of JSON Schema: `$ref`,
/// `type` (one or several), `properties`, `required`, `additionalProperties`, `items`, `enum`,
/// `oneOf`, `minimum`, `pattern`-free).
struct OpenAPIDocument {
    let root: JSON
    let router: Router<String>

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        root = try JSON.parse([UInt8](data))
        var router = Router<String>()
        for (pattern, item) in root["paths"]?.objectValue ?? [:] {
            for method in HTTPMethod.allCases where item[method.rawValue.lowercased()] != nil {
                router.add(method, pattern, pattern)
            }
        }
        self.router = router
    }

    /// Every documented operation as `METHOD pattern`.
    var operations: Set<String> {
        Set(router.routes.map { "\($0.method.rawValue) \($0.pattern)" })
    }

    /// Resolves `{"$ref": "#/components/..."}`.
    func resolve(_ value: JSON) -> JSON {
        guard let reference = value["$ref"]?.stringValue, reference.hasPrefix("#/") else { return value }
        var current: JSON? = root
        for part in reference.dropFirst(2).split(separator: "/") { current = current?[String(part)] }
        return current.map(resolve) ?? .null
    }

    /// What is wrong with an exchange: an undocumented operation or status, or a body off its schema.
    func check(_ exchange: Exchange) -> [String] {
        let path = String(exchange.path.split(separator: "?", maxSplits: 1)[0])
        let method = HTTPMethod(rawValue: exchange.method) ?? .get
        guard case .matched(let route, _)? = try? router.match(method, path: path) else {
            // 404 and 405 are answered for paths and methods that are not routes; they are documented globally.
            return [404, 405, 400].contains(exchange.status) ? [] : ["\(exchange.method) \(exchange.path): not in the OpenAPI document"]
        }
        let operation = root["paths"]?[route.pattern]?[method == .head ? "get" : exchange.method.lowercased()] ?? .null
        let where_ = "\(exchange.method) \(route.pattern) \(exchange.status)"
        guard let declared = operation["responses"]?[String(exchange.status)] else { return ["\(where_): status not documented"] }
        let response = resolve(declared)
        guard let schema = response["content"]?["application/json"]?["schema"] else {
            // Pages (text/html) and metrics (text/plain) document their media type, not a schema.
            if exchange.body.isEmpty || response["content"]?.objectValue?.isEmpty == false { return [] }
            return ["\(where_): a body, but no content documented"]
        }
        guard let body = try? JSON.parse(Array(exchange.body.utf8)) else { return ["\(where_): the body is not JSON"] }
        return validate(body, schema, "$").map { "\(where_): \($0)" }
    }

    /// Where `value` does not match `schema`.
    func validate(_ value: JSON, _ schema: JSON, _ at: String) -> [String] {
        let schema = resolve(schema)
        if let options = schema["oneOf"]?.arrayValue {
            let matching = options.filter { validate(value, $0, at).isEmpty }.count
            return matching == 1 ? [] : ["\(at): matches \(matching) of the oneOf schemas, expected 1"]
        }
        if let types = schema["type"] {
            let names = types.arrayValue?.compactMap(\.stringValue) ?? [types.stringValue ?? ""]
            guard names.contains(where: { Self.isOf(value, $0) }) else { return ["\(at): expected \(names.joined(separator: " or ")), found \(value.typeName)"] }
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            return ["\(at): \(String(decoding: value.serialized(), as: UTF8.self)) is not one of the enum values"]
        }
        if let minimum = schema["minimum"]?.int64Value, let number = value.int64Value, number < minimum {
            return ["\(at): \(number) is below the minimum \(minimum)"]
        }
        var problems: [String] = []
        if case .object(let members) = value {
            let properties = schema["properties"]?.objectValue ?? [:]
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                problems.append("\(at): required member \(name) is missing")
            }
            for (name, member) in members {
                if let property = properties[name] {
                    problems += validate(member, property, at + JSONFields.component(name))
                } else if let additional = schema["additionalProperties"] {
                    if additional == .bool(false) {
                        problems.append("\(at): member \(name) is not in the schema")
                    } else if additional != .bool(true) {
                        problems += validate(member, additional, at + JSONFields.component(name))
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (index, item) in items.enumerated() { problems += validate(item, itemSchema, at + "[\(index)]") }
        }
        return problems
    }

    static func isOf(_ value: JSON, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object): return true
        case ("number", .number): return true
        case ("integer", .number): return value.typeName == "integer"
        default: return false
        }
    }

    /// Structural problems of the document itself: version, info, every operation with an
    /// operationId, responses, security, declared path parameters, every `$ref` resolving.
    func structuralProblems() -> [String] {
        var problems: [String] = []
        if root["openapi"]?.stringValue?.hasPrefix("3.") != true { problems.append("openapi: not a 3.x document") }
        if root["info"]?["title"]?.stringValue == nil || root["info"]?["version"]?.stringValue == nil { problems.append("info: title and version required") }
        var operationIds: Set<String> = []
        for (pattern, item) in root["paths"]?.objectValue ?? [:] {
            let parameters = pattern.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            for method in HTTPMethod.allCases {
                guard let operation = item[method.rawValue.lowercased()] else { continue }
                let name = "\(method.rawValue) \(pattern)"
                if let id = operation["operationId"]?.stringValue {
                    if !operationIds.insert(id).inserted { problems.append("\(name): operationId \(id) is used twice") }
                } else {
                    problems.append("\(name): no operationId")
                }
                if operation["responses"]?.objectValue?.isEmpty != false { problems.append("\(name): no responses") }
                let declared = ((item["parameters"]?.arrayValue ?? []) + (operation["parameters"]?.arrayValue ?? [])).map(resolve)
                    .filter { $0["in"] == "path" }.compactMap { $0["name"]?.stringValue }
                if Set(declared) != Set(parameters) { problems.append("\(name): path parameters \(declared) do not match \(parameters)") }
            }
        }
        func references(_ value: JSON, _ at: String) {
            switch value {
            case .object(let members):
                if let reference = members["$ref"]?.stringValue, resolve(value) == .null { problems.append("\(at): $ref \(reference) does not resolve") }
                for (key, member) in members { references(member, at + "/" + key) }
            case .array(let items):
                for (index, item) in items.enumerated() { references(item, at + "/\(index)") }
            default:
                break
            }
        }
        references(root, "#")
        return problems
    }
}
