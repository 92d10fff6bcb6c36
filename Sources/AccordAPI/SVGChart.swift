import Foundation
/// Small inline SVG charts for the dashboard (no script, no external asset). Labels are escaped.
enum SVGChart {
    /// Horizontal bars, one per item, scaled to `maximum` (or the largest value); `bad` items red.
    static func bars(_ items: [(label: String, value: Double, text: String, bad: Bool)], maximum: Double? = nil, width: Int = 460) -> String {
        guard !items.isEmpty else { return "" }
        let top = max(maximum ?? items.map(\.value).max() ?? 1, 1e-9)
        let row = 22, labelWidth = 150, barSpace = width - labelWidth - 70
        var svg = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\"\(items.count * row + 4)\" viewBox=\"0 0 \(width) \(items.count * row + 4)\">"
        for (index, item) in items.enumerated() {
            let y = index * row + 2
            let length = Int((min(max(item.value, 0), top) / top * Double(barSpace)).rounded())
            svg += "<text x=\"0\" y=\"\(y + 15)\" class=\"label\">\(HTML.escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(length, 1))\" height=\"15\" rx=\"2\" class=\"\(item.bad ? "bar bad" : "bar")\"/>"
            svg += "<text x=\"\(labelWidth + length + 6)\" y=\"\(y + 15)\" class=\"value\">\(HTML.escape(item.text))</text>"
        }
        return svg + "</svg>"
    }

    /// Vertical paired columns per period (for example opt-ins and opt-outs per month).
    static func columns(_ periods: [(label: String, first: Int, second: Int)], legend: (String, String), width: Int = 520, height: Int = 150) -> String {
        guard !periods.isEmpty else { return "" }
        let top = max(periods.map { max($0.first, $0.second) }.max() ?? 1, 1)
        let plot = height - 34, slot = (width - 10) / periods.count, bar = max((slot - 6) / 2, 2)
        var svg = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
        for (index, period) in periods.enumerated() {
            let x = 5 + index * slot
            for (offset, value, name) in [(0, period.first, "bar"), (bar, period.second, "bar bad")] {
                let length = Int((Double(value) / Double(top) * Double(plot - 12)).rounded())
                svg += "<rect x=\"\(x + offset)\" y=\"\(plot - length)\" width=\"\(bar)\" height=\"\(max(length, 0))\" class=\"\(name)\"><title>\(HTML.escape(period.label)): \(value)</title></rect>"
            }
            svg += "<text x=\"\(x)\" y=\"\(plot + 14)\" class=\"label small\">\(HTML.escape(String(period.label.suffix(5))))</text>"
        }
        svg += "<rect x=\"5\" y=\"\(height - 12)\" width=\"10\" height=\"10\" class=\"bar\"/><text x=\"20\" y=\"\(height - 3)\" class=\"label small\">\(HTML.escape(legend.0))</text>"
        svg += "<rect x=\"120\" y=\"\(height - 12)\" width=\"10\" height=\"10\" class=\"bar bad\"/><text x=\"135\" y=\"\(height - 3)\" class=\"label small\">\(HTML.escape(legend.1))</text>"
        return svg + "</svg>"
    }

    /// A line over time (for example a segment's audience per recording): one point per value, in
    /// order, each with a tooltip; the y axis from 0 to the largest value, the first and last
    /// labels under the axis.
    static func line(_ points: [(label: String, value: Int)], width: Int = 520, height: Int = 150) -> String {
        guard !points.isEmpty else { return "" }
        let top = max(points.map(\.value).max() ?? 1, 1)
        let left = 56, plot = height - 30, span = width - left - 12
        func x(_ index: Int) -> Int { left + (points.count == 1 ? span / 2 : index * span / (points.count - 1)) }
        func y(_ value: Int) -> Int { 8 + (plot - 8) - Int((Double(max(value, 0)) / Double(top) * Double(plot - 8)).rounded()) }
        var svg = "<svg class=\"chart\" role=\"img\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">"
        svg += "<line x1=\"\(left)\" y1=\"8\" x2=\"\(left)\" y2=\"\(plot)\" class=\"axis\"/><line x1=\"\(left)\" y1=\"\(plot)\" x2=\"\(width - 8)\" y2=\"\(plot)\" class=\"axis\"/>"
        svg += "<text x=\"0\" y=\"16\" class=\"label small\">\(HTML.escape(DashboardFormat.count(top)))</text><text x=\"0\" y=\"\(plot)\" class=\"label small\">0</text>"
        svg += "<polyline class=\"line\" points=\"" + points.indices.map { "\(x($0)),\(y(points[$0].value))" }.joined(separator: " ") + "\"/>"
        for (index, point) in points.enumerated() {
            svg += "<circle cx=\"\(x(index))\" cy=\"\(y(point.value))\" r=\"3\" class=\"dot\"><title>\(HTML.escape(point.label)): \(point.value)</title></circle>"
        }
        svg += "<text x=\"\(left)\" y=\"\(height - 6)\" class=\"label small\">\(HTML.escape(points[0].label))</text>"
        if points.count > 1 {
            svg += "<text x=\"\(width - 8)\" y=\"\(height - 6)\" text-anchor=\"end\" class=\"label small\">\(HTML.escape(points[points.count - 1].label))</text>"
        }
        return svg + "</svg>"
    }
}
