// `--field PATH`: paths of each kind (int, string, array of strings, array of objects, bool,
// numbers), what counts as missing, and how the collector counts records without the field.
import Records
import Testing
@testable import Charts

@Suite struct FieldPathTests {
    static let record: Record = [
        "id": "r1", "cluster": 3, "score": 2.5, "ratio": "x", "flag": true,
        "description": [
            "style": ["lighting": "natural", "palette": ["warm", "muted"]],
            "scene": ["environment": ["outdoor", "urban", "outdoor"], "empty": [], "nothing": nil],
            "objects": [["name": "dog", "count": 2], ["count": 1], ["name": "car"], ["name": ["nested": "no"]]],
            "tags": ["a", "b"],
        ],
    ]

    static func values(_ path: String, _ record: Record = record) throws -> FieldPath.Values {
        try FieldPath(parsing: path).values(in: record)
    }

    @Test func scalarsGiveOneValueAndNumbersReadAsWritten() throws {
        #expect(try Self.values("cluster") == .values(["3"]))
        #expect(try Self.values("cluster", ["cluster": -1]) == .values(["-1"]))
        #expect(try Self.values("cluster", ["cluster": .number("3.0")]) == .values(["3"]))
        #expect(try Self.values("score") == .values(["2.5"]))
        #expect(try Self.values("flag") == .values(["true"]))
        #expect(try Self.values("description.style.lighting") == .values(["natural"]))
    }

    @Test func arraysOfScalarsAreMultiLabel() throws {
        #expect(try Self.values("description.scene.environment") == .values(["outdoor", "urban", "outdoor"]))
        #expect(try Self.values("description.style.palette") == .values(["warm", "muted"]))
        #expect(try Self.values("description.tags[]") == .values(["a", "b"]))
        #expect(try Self.values("description.scene.empty") == .values([]))
    }

    @Test func arraysOfObjectsGiveTheNamedMemberOfEachElement() throws {
        // The element without a name and the one whose name is an object are skipped.
        #expect(try Self.values("description.objects[].name") == .values(["dog", "car"]))
        #expect(try Self.values("description.objects[].count") == .values(["2", "1"]))
        #expect(try Self.values("description.objects[].name", ["description": ["objects": []]]) == .values([]))
    }

    @Test func absentNullAndUnusableValuesAreMissing() throws {
        #expect(try Self.values("description.style.mood") == .missing)
        #expect(try Self.values("nope") == .missing)
        #expect(try Self.values("description.scene.nothing") == .missing)
        #expect(try Self.values("description.style") == .missing)  // an object
        #expect(try Self.values("description.objects") == .missing)  // an array of objects without []
        #expect(try Self.values("description.style.lighting[]") == .missing)  // [] on a string
        #expect(try Self.values("cluster.x") == .missing)
    }

    @Test(arguments: ["", "a..b", "[]", ".a", "a.", "a[", "a[]b", "a[0]", "a]"])
    func malformedPathsAreUsageErrors(path: String) {
        let error = #expect(throws: PlotError.self) { try FieldPath(parsing: path) }
        #expect(error?.exitStatus == 2)
        #expect(error?.message.contains("description.objects[].name") == true)
    }

    @Test func fieldNamesParseToTheirKinds() throws {
        #expect(try ComparedField(parsing: "categories") == .categories)
        #expect(try ComparedField(parsing: "keywords") == .keywords)
        #expect(try ComparedField(parsing: "cluster").liftRule == LiftRule(unit: .images, excluded: ["-1"]))
        #expect(try ComparedField(parsing: "keywords").liftRule == LiftRule(unit: .occurrences))
        #expect(try ComparedField(parsing: "description.style.lighting").liftRule == LiftRule())
        #expect(ComparedField.categories.tableName == nil)
        #expect(try ComparedField(parsing: "description.objects[].name").tableName == "description.objects[].name")
    }

    @Test func collectorCountsRecordsWithoutTheFieldAsMissingAndCategoriesAsBefore() throws {
        let file = TemporaryFile("""
            {"id":"1","dataset":"REAL","cluster":0,"categories":["a"],"description":{"style":{"lighting":"natural"}}}
            {"id":"2","dataset":"REAL","cluster":-1,"description":{"style":{}}}
            {"id":"3","dataset":"REAL","categories":["b"],"description":{"style":{"lighting":"studio"}}}
            {"id":"1","dataset":"REAL","cluster":2,"categories":["a"]}
            {"id":"4","dataset":"REAL","error":{"stage":"cluster","code":"missing_field","message":"no embedding","retryable":false}}
            {"id":"5","dataset":"GEN","cluster":"7","categories":["a"],"description":{"style":{"lighting":"neon"}}}

            """)
        defer { file.remove() }
        let fields = try ["cluster", "description.style.lighting", "categories"].map(ComparedField.init(parsing:))
        let collector = DatasetCollector(keepImages: true, fields: fields)
        try collector.read(path: file.path, dataset: nil)
        let (cluster, lighting, categories) = (collector.talliesByField[0], collector.talliesByField[1], collector.talliesByField[2])
        #expect(cluster.map(\.name) == ["REAL", "GEN"])
        // REAL: 1 and 2 counted, 3 has no cluster, the second "1" is a duplicate, 4 an error record.
        #expect(cluster[0].images == 2 && cluster[0].missing == 1 && cluster[0].failed == 2)
        #expect(cluster[0].counts == ["0": 1, "-1": 1])
        #expect(cluster[1].counts == ["7": 1])
        #expect(lighting[0].images == 2 && lighting[0].missing == 1 && lighting[0].counts == ["natural": 1, "studio": 1])
        // Categories as plotdist always counted them: record 2 fails for lacking the array.
        #expect(categories[0].images == 2 && categories[0].missing == 0 && categories[0].failed == 3)
        #expect(categories[0].entries.map(\.id) == ["1", "3"])
        #expect(collector.problems.map(\.line) == [2, 4])
    }

    @Test func theReferenceCSVRefusesFieldsOtherThanCategories() {
        let file = TemporaryFile("image_name,description,categories\na.jpg,x,people\n", suffix: ".csv")
        defer { file.remove() }
        let error = #expect(throws: InputError.self) {
            try DatasetCollector(keepImages: false, fields: [.categories, .keywords]).read(path: file.path, dataset: "REAL")
        }
        #expect(error?.description.contains("--field keywords needs NDJSON records") == true)
    }

    @Test func chartPathsGetTheFieldBeforeTheExtension() {
        #expect(PlotRun.chartPath("out/chart.png", field: "cluster") == "out/chart-cluster.png")
        #expect(PlotRun.chartPath("chart.svg", field: "description.objects[].name") == "chart-description.objects__.name.svg")
        #expect(PlotRun.chartPath("a.b/chart", field: "keywords") == "a.b/chart-keywords")
    }
}
