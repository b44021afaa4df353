// ComparisonTable: a Comparison as the table plotdist prints — NDJSON records (one per category,
// then a summary record), CSV, or Markdown.
import Records

/// The table formats of `--format`.
public enum TableFormat: String, Sendable, CaseIterable {
    case ndjson, csv, markdown
}

public enum ComparisonTable {
    // MARK: NDJSON

    /// `{"category", "datasets": {NAME: {"count", "percent", "ci"}}, "diff_pp", "log2_lift", "p_value", "q_value"}`;
    /// the last four only with two datasets. A `--field` table names the field and the value
    /// (`{"field", "value", …}`) and adds `log2_lift_counts` after `log2_lift`.
    public static func record(_ row: CategoryRow, datasetNames: [String], field: String? = nil) -> Record {
        var datasets = JSONObject()
        for (name, share) in zip(datasetNames, row.shares) {
            var cell = JSONObject()
            cell["count"] = .int(share.count)
            cell["percent"] = number(share.percent, digits: 4)
            cell["ci"] = share.interval.map { .array([number($0.low, digits: 4), number($0.high, digits: 4)]) } ?? .null
            datasets[name] = .object(cell)
        }
        var record = Record()
        if let field {
            record["field"] = .string(field)
            record["value"] = .string(row.category)
        } else {
            record["category"] = .string(row.category)
        }
        record["datasets"] = .object(datasets)
        if datasetNames.count == 2 {
            record["diff_pp"] = number(row.differencePoints, digits: 4)
            record["log2_lift"] = number(row.log2Lift, digits: 4)
            if field != nil { record["log2_lift_counts"] = number(row.log2LiftCounts, digits: 4) }
            record["p_value"] = number(row.pValue)
            record["q_value"] = number(row.qValue)
        }
        return record
    }

    /// `{"summary": {"images", "failed", "chi2", "dof", "p_value", "jsd", "cramers_v"}}`; a `--field`
    /// table's summary starts with `field` and adds `missing` per dataset and the lift's unit
    /// (`lift_unit`, and `lift_excludes` when values are left out of it).
    public static func summaryRecord(_ comparison: Comparison) -> Record {
        let summary = comparison.summary
        var images = JSONObject(), failed = JSONObject(), missing = JSONObject()
        for (index, name) in comparison.datasetNames.enumerated() {
            images[name] = .int(summary.images[index])
            failed[name] = .int(summary.failed[index])
            missing[name] = .int(summary.missing[index])
        }
        var fields = JSONObject()
        if let field = comparison.field { fields["field"] = .string(field) }
        fields["images"] = .object(images)
        fields["failed"] = .object(failed)
        if comparison.field != nil {
            fields["missing"] = .object(missing)
            fields["lift_unit"] = .string(comparison.lift.unit.rawValue)
            if !comparison.lift.excluded.isEmpty { fields["lift_excludes"] = .array(comparison.lift.excluded.sorted().map(JSONValue.string)) }
        }
        fields["chi2"] = number(summary.chiSquare?.statistic, digits: 4)
        fields["dof"] = summary.chiSquare.map { .int($0.degreesOfFreedom) } ?? .null
        fields["p_value"] = number(summary.chiSquare?.pValue)
        fields["jsd"] = number(summary.jensenShannon, digits: 6)
        fields["cramers_v"] = number(summary.chiSquare?.cramersV, digits: 6)
        return ["summary": .object(fields)]
    }

    /// Every row, then the summary, as NDJSON records.
    public static func records(_ comparison: Comparison) -> [Record] {
        comparison.rows.map { record($0, datasetNames: comparison.datasetNames, field: comparison.field) } + [summaryRecord(comparison)]
    }

    // MARK: CSV

    /// A header and one line per category; percentages and intervals in percent. The summary
    /// statistics are not part of the CSV (see the NDJSON summary record or the stderr line).
    /// A `--field` table starts each line with `field,value` and adds `log2_lift_counts`; with
    /// `header` false only the rows are written (the tables of several fields share one header).
    public static func csv(_ comparison: Comparison, header withHeader: Bool = true) -> String {
        let byField = comparison.field != nil
        var header = byField ? ["field", "value"] : ["category"]
        for name in comparison.datasetNames {
            header += ["count", "percent", "ci_low", "ci_high"].map { "\(name)_\($0)" }
        }
        let pairwise = comparison.datasets.count == 2
        if pairwise { header += byField ? ["diff_pp", "log2_lift", "log2_lift_counts", "p_value", "q_value"] : ["diff_pp", "log2_lift", "p_value", "q_value"] }
        var lines = withHeader ? [header.map(csvField).joined(separator: ",")] : []
        for row in comparison.rows {
            var fields = comparison.field.map { [$0, row.category] } ?? [row.category]
            for share in row.shares {
                fields += [String(share.count), plain(share.percent, digits: 4), plain(share.interval?.low, digits: 4),
                           plain(share.interval?.high, digits: 4)]
            }
            if pairwise {
                fields += [plain(row.differencePoints, digits: 4), plain(row.log2Lift, digits: 4)]
                if byField { fields.append(plain(row.log2LiftCounts, digits: 4)) }
                fields += [plain(row.pValue), plain(row.qValue)]
            }
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    // MARK: Markdown

    /// A table for people (count · percent [interval] per dataset), then the summary as a list.
    public static func markdown(_ comparison: Comparison, text: ChartText = .english) -> String {
        let pairwise = comparison.datasets.count == 2
        let byField = comparison.field != nil
        var header = [comparison.field ?? text.categoryColumn] + comparison.datasetNames
        if pairwise { header += [text.differenceColumn, text.liftColumn] + (byField ? [text.liftCountsColumn] : []) + ["p", "q"] }
        var lines = [row(header), "|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined()]
        if let stamp = comparison.emulatorStamp(text) { lines.insert(contentsOf: ["**" + stamp + "**", ""], at: 0) }
        if let field = comparison.field { lines.insert(contentsOf: ["### " + field, ""], at: 0) }
        for categoryRow in comparison.rows {
            var cells = [categoryRow.category]
            for share in categoryRow.shares {
                var cell = "\(NumberText.grouped(share.count)) · \(NumberText.percent(share.percent))"
                if let interval = share.interval {
                    cell += " [\(NumberText.format("%.1f", interval.low))–\(NumberText.format("%.1f", interval.high))]"
                }
                cells.append(cell)
            }
            if pairwise {
                cells += [categoryRow.differencePoints.map { NumberText.format("%+.1f", $0) } ?? "–",
                          categoryRow.log2Lift.map { NumberText.format("%+.2f", $0) } ?? "–"]
                if byField { cells.append(categoryRow.log2LiftCounts.map { NumberText.format("%+.2f", $0) } ?? "–") }
                cells += [NumberText.probability(categoryRow.pValue), NumberText.probability(categoryRow.qValue)]
            }
            lines.append(row(cells))
        }
        lines.append("")
        lines += summaryLines(comparison, text: text).map { "- " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary in words, one fact a line (Markdown list, report, stderr).
    public static func summaryLines(_ comparison: Comparison, text: ChartText = .english) -> [String] {
        let summary = comparison.summary
        var lines = comparison.datasetNames.indices.map { index in
            text.datasetSummary(comparison.datasetNames[index], summary.images[index], summary.failed[index])
        }
        if let chi = summary.chiSquare {
            lines.append(text.chiSquare(NumberText.format("%.2f", chi.statistic), chi.degreesOfFreedom,
                                        NumberText.probability(chi.pValue), NumberText.format("%.3f", chi.cramersV)))
        } else {
            lines.append(text.chiSquareUndefined)
        }
        if let jsd = summary.jensenShannon { lines.append(text.jensenShannon(NumberText.format("%.4f", jsd))) }
        if comparison.field != nil {
            let missing = zip(comparison.datasetNames, summary.missing).map { "\($0) \(NumberText.grouped($1))" }
            lines.append(text.missingField(missing.joined(separator: ", ")))
            if comparison.datasets.count == 2 { lines.append(text.liftUnit(comparison.lift.unit, comparison.lift.excluded.sorted())) }
        }
        return lines
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.map { $0.replacingAll("|", with: "\\|") }.joined(separator: " | ") + " |"
    }

    // MARK: Numbers

    /// A JSON number rounded to `digits` decimals (all digits when nil); null for nil or non-finite.
    static func number(_ value: Double?, digits: Int? = nil) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .double(rounded(value, digits: digits))
    }

    static func plain(_ value: Double?, digits: Int? = nil) -> String {
        guard let value, value.isFinite else { return "" }
        return JSONValue.double(rounded(value, digits: digits)).description
    }

    static func rounded(_ value: Double, digits: Int?) -> Double {
        guard let digits else { return value }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement`.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
