/// A population spread over several units for matching benchmarks and tests: each unit holds a
/// deterministic share of the persons (independently per unit, so units overlap), each record a
/// copy of its person with the unit's ``SampleCorruption``, and the ground truth (record → person)
/// is known. Everything depends only on the seed, the persons and the unit settings.
public struct SampleSpread: Sendable {
    /// One unit of the spread.
    public struct Unit: Sendable, Equatable {
        /// The unit's name (a unit id such as `retail`); its first letter starts its local ids.
        public var name: String
        /// Share of persons the unit holds, 0...1.
        public var coverage: Double
        /// How the unit's records are corrupted.
        public var corruption: SampleCorruption

        /// Creates a unit.
        public init(name: String, coverage: Double, corruption: SampleCorruption = .standard) {
            self.name = name
            self.coverage = coverage
            self.corruption = corruption
        }
    }

    /// The persons (with ``SampleNameFrequencies/realistic`` names).
    public let population: SamplePopulation
    /// The units.
    public let units: [Unit]

    /// Creates a spread.
    /// - Parameters:
    ///   - persons: number of persons.
    ///   - seed: seed.
    ///   - units: the units (default ``standardUnits(_:)`` of 5).
    public init(persons: Int, seed: UInt64, units: [Unit] = SampleSpread.standardUnits(5)) {
        population = SamplePopulation(persons: persons, seed: seed, nameFrequencies: .realistic)
        self.units = units
    }

    /// The first `count` (1...8) of: retail 0.55, insurance 0.40, webshop 0.40 (half its birth dates
    /// missing), support 0.30 (a third of its addresses missing), bank 0.25, travel 0.30, energy
    /// 0.35, mobile 0.35; five units hold 1.9 records per person on average.
    public static func standardUnits(_ count: Int) -> [Unit] {
        var webshop = SampleCorruption.standard
        webshop.missingBirthDate = 0.5
        var support = SampleCorruption.standard
        support.missingAddress = 0.33
        let all = [
            Unit(name: "retail", coverage: 0.55), Unit(name: "insurance", coverage: 0.40),
            Unit(name: "webshop", coverage: 0.40, corruption: webshop), Unit(name: "support", coverage: 0.30, corruption: support),
            Unit(name: "bank", coverage: 0.25), Unit(name: "travel", coverage: 0.30), Unit(name: "energy", coverage: 0.35),
            Unit(name: "mobile", coverage: 0.35),
        ]
        precondition(count >= 1 && count <= all.count, "1...\(all.count) standard units")
        return Array(all.prefix(count))
    }

    /// The records of one unit, in person order, with local ids `X-000123` (the unit's initial, a
    /// unit-specific offset plus a counter, as ``SamplePopulation/records(unit:coverage:noise:)``).
    public func records(of unit: Unit) -> some Sequence<SampleRecord> {
        let unitHash = SamplePopulation.unitHash(unit.name)
        let initial = unit.name.unicodeScalars.first.flatMap { $0.isASCII && $0.properties.isAlphabetic ? String($0).uppercased() : nil } ?? "U"
        let offset = Int(unitHash % 50) * 1000
        var index = 0
        var ordinal = 0
        let population = self.population
        return AnyIterator<SampleRecord> {
            while index < population.count {
                let person = index
                index += 1
                var pick = SeededGenerator(seed: population.hash(UInt64(person), unitHash ^ 0x5B5D))
                guard pick.unit() < unit.coverage else { continue }
                ordinal += 1
                let number = String(offset + ordinal)
                let localId = initial + "-" + String(repeating: "0", count: max(0, 6 - number.utf8.count)) + number
                return SampleSpread.record(person: person, population: population, unit: unit, unitHash: unitHash, localId: localId)
            }
            return nil
        }.lazy
    }

    /// Every unit's records, unit by unit.
    public func allRecords() -> [SampleRecord] {
        units.flatMap { Array(records(of: $0)) }
    }
}
