import Foundation
/// HTML text built by the dashboard. Every value goes through ``escape(_:)`` (text and
/// attribute values alike); only the page templates in this module are written raw.
struct HTML: Sendable {
    /// The markup so far.
    private(set) var text = ""

    /// Escapes `&`, `<`, `>`, `"` and `'`, so a value is inert in text and in quoted attributes.
    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Appends template markup as it is (never a value).
    mutating func raw(_ markup: String) { text += markup }

    /// Appends a value, escaped.
    mutating func value(_ value: String) { text += Self.escape(value) }

    /// Appends `<tag class="...">value</tag>` with the value escaped.
    mutating func element(_ tag: String, _ value: String, class name: String? = nil) {
        text += "<\(tag)" + (name.map { " class=\"\($0)\"" } ?? "") + ">" + Self.escape(value) + "</\(tag)>"
    }

    /// Appends a table: header cells and rows of cells, every cell escaped; a cell may carry a
    /// class (`bad`, `good`, `num`).
    mutating func table(_ headers: [String], _ rows: [[(String, String?)]], empty: String) {
        guard !rows.isEmpty else {
            element("p", empty, class: "muted")
            return
        }
        raw("<table><thead><tr>")
        for header in headers { element("th", header) }
        raw("</tr></thead><tbody>")
        for row in rows {
            raw("<tr>")
            for (cell, name) in row { element("td", cell, class: name) }
            raw("</tr>")
        }
        raw("</tbody></table>")
    }
}
