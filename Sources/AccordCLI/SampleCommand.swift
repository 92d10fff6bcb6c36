import AccordSampleData
import Foundation

/// `accord sample`: a CSV of generated customers for one unit, for pilots and trials. Units given
/// the same `--persons` and `--seed` share customers (each knows a `--coverage` share of them,
/// with realistic noise), so their records consolidate.
enum SampleCommand {
    static func run(_ raw: [String]) throws {
        let arguments = try Arguments(raw, options: ["unit", "persons", "seed", "coverage", "noise", "out"], flags: ["json"])
        _ = try arguments.positionals(exactly: [])
        guard let unit = arguments.option("unit"), !unit.isEmpty else { throw UsageError(message: "--unit is required") }
        guard let out = arguments.option("out") else { throw UsageError(message: "--out FILE is required") }
        let persons = try number(arguments, "persons", default: 1_000, in: 1...10_000_000)
        let seed = try number(arguments, "seed", default: 42, in: 0...Int.max)
        let coverage = try fraction(arguments, "coverage", default: 0.6)
        let noise = try fraction(arguments, "noise", default: 0.1)
        let rows = try SamplePopulation(persons: persons, seed: UInt64(seed)).writeCSV(unit: unit, coverage: coverage, noise: noise, to: out)
        if arguments.flag("json") {
            try Output.json(["unit": unit, "rows": rows, "file": out] as [String: Any])
        } else {
            Output.line("wrote \(Output.grouped(rows)) generated customers of \(unit) to \(out) (import with: accord import \(out))")
        }
    }

    private static func number(_ arguments: Arguments, _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = arguments.option(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError(message: "--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private static func fraction(_ arguments: Arguments, _ name: String, default value: Double) throws -> Double {
        guard let text = arguments.option(name) else { return value }
        guard let number = Double(text), (0...1).contains(number) else { throw UsageError(message: "--\(name) must be a number from 0 to 1") }
        return number
    }
}
