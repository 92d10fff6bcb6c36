import AccordImport
import AccordSampleData
import Foundation
import Testing

@Suite struct SampleSpreadTests {
    @Test func deterministicOverlappingUnitsWithTruth() {
        let spread = SampleSpread(persons: 4000, seed: 5)
        let again = SampleSpread(persons: 4000, seed: 5)
        let records = spread.allRecords()
        #expect(records.map(\.values) == again.allRecords().map(\.values))
        #expect(records.map(\.values) != SampleSpread(persons: 4000, seed: 6).allRecords().map(\.values))
        // Five units hold about 1.9 records per person; local ids are unique per unit.
        #expect((7000...8200).contains(records.count), "\(records.count)")
        for unit in spread.units {
            let ids = records.filter { $0.unit == unit.name }.map(\.localId)
            #expect(Set(ids).count == ids.count)
            #expect(abs(Double(ids.count) / 4000 - unit.coverage) < 0.05, "\(unit.name)")
        }
        var unitsPerPerson: [Int: Int] = [:]
        for record in records { unitsPerPerson[record.personId, default: 0] += 1 }
        #expect(unitsPerPerson.values.filter { $0 >= 2 }.count > 1500)
    }

    @Test func recordsAreRealisticallyCorrupted() {
        let spread = SampleSpread(persons: 4000, seed: 8)
        var changedGiven = 0, missingEmail = 0, nationalPhone = 0, swapped = 0, moved = 0, total = 0
        for record in spread.allRecords() {
            let p = spread.population.person(record.personId)
            total += 1
            if record.values[0] != p.givenName { changedGiven += 1 }
            if record.values[0] == p.familyName { swapped += 1 }
            if record.values[3].isEmpty { missingEmail += 1 }
            if record.values[4].hasPrefix("0") || record.values[4].hasPrefix("(") { nationalPhone += 1 }
            if !record.values[7].isEmpty, record.values[7] != p.postcode, record.values[7] != String(p.postcode.dropFirst()) { moved += 1 }
        }
        func share(_ n: Int) -> Double { Double(n) / Double(total) }
        #expect((0.10...0.30).contains(share(changedGiven)), "given \(share(changedGiven))")
        #expect((0.005...0.04).contains(share(swapped)))
        #expect((0.08...0.17).contains(share(missingEmail)))
        #expect(share(nationalPhone) > 0.1)
        #expect((0.04...0.12).contains(share(moved)))
        // Common names are common: Müller is the most frequent family name.
        let families = Dictionary(grouping: (0..<4000).map { spread.population.person($0).familyName }, by: { $0 }).mapValues(\.count)
        #expect(families.max { $0.value < $1.value }?.key == "Müller")
    }

    @Test func writesOneImportableFilePerUnitAndTheTruth() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("spread-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spread = SampleSpread(persons: 1500, seed: 9, units: SampleSpread.standardUnits(3))
        let counts = try spread.write(to: directory)
        #expect(counts.keys.sorted() == ["insurance", "retail", "webshop"])
        let rules = customerRules
        var rows = 0
        for unit in counts.keys {
            let reader = try CSVReader(path: directory + "/\(unit).csv")
            #expect(reader.header == SamplePopulation.csvHeader)
            let importer = try RowImporter(rules: rules, mapping: ImportMapping(), header: reader.header, settings: .init())
            var unitRows = 0
            while let row = try reader.next() {
                if case .rejected(_, let errors) = importer.convert(row) { Issue.record("\(unit): \(errors.map(\.description))") }
                unitRows += 1
            }
            #expect(unitRows == counts[unit])
            rows += unitRows
        }
        let truth = try CSVReader(path: directory + "/truth.csv")
        #expect(truth.header == SampleSpread.truthHeader)
        var truthRows = 0
        let expected = Dictionary(uniqueKeysWithValues: spread.allRecords().map { ("\($0.unit)/\($0.localId)", $0.personId) })
        while let row = try truth.next() {
            #expect(expected["\(row.fields[0])/\(row.fields[1])"] == Int(row.fields[2]))
            truthRows += 1
        }
        #expect(truthRows == rows)
    }
}
