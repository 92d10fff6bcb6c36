import AccordImport
import Testing

@Suite struct ImportMappingTests {
    @Test func parsesSpec() throws {
        let mapping = try ImportMapping.parse("id=customer_no, email = mail,phone=tel")
        #expect(mapping.idColumn == "customer_no")
        #expect(mapping.columns == ["mail": "email", "tel": "phone"])
        #expect(try ImportMapping.parse("") == ImportMapping())
    }

    @Test(arguments: ["email", "email=", "=mail", "email=a,email=b", "email=a,phone=a", "a=b,,c=d", "id=x,name=x"])
    func rejectsBadSpecs(_ spec: String) {
        #expect(throws: ImportError(.badMapping, "")) { try ImportMapping.parse(spec) }
    }
}
