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
    /// the last four only with two datasets.
    public static func record(_ row: CategoryRow, datasetNames: [String]) -> Record {
        var datasets = JSONObject()
        for (name, share) in zip(datasetNames, row.shares) {
            var cell = JSONObject()
            cell["count"] = .int(share.count)
            cell["percent"] = number(share.percent, digits: 4)
            cell["ci"] = share.interval.map { .array([number($0.low, digits: 4), number($0.high, digits: 4)]) } ?? .null
            datasets[name] = .object(cell)
        }
        var record = Record()
        record["category"] = .string(row.category)
        record["datasets"] = .object(datasets)
        if datasetNames.count == 2 {
            record["diff_pp"] = number(row.differencePoints, digits: 4)
            record["log2_lift"] = number(row.log2Lift, digits: 4)
            record["p_value"] = number(row.pValue)
            record["q_value"] = number(row.qValue)
        }
        return record
    }

    /// `{"summary": {"images", "failed", "chi2", "dof", "p_value", "jsd", "cramers_v"}}`.
    public static func summaryRecord(_ comparison: Comparison) -> Record {
        let summary = comparison.summary
        var images = JSONObject(), failed = JSONObject()
        for (index, name) in comparison.datasetNames.enumerated() {
            images[name] = .int(summary.images[index])
            failed[name] = .int(summary.failed[index])
        }
        var fields = JSONObject()
        fields["images"] = .object(images)
        fields["failed"] = .object(failed)
        fields["chi2"] = number(summary.chiSquare?.statistic, digits: 4)
        fields["dof"] = summary.chiSquare.map { .int($0.degreesOfFreedom) } ?? .null
        fields["p_value"] = number(summary.chiSquare?.pValue)
        fields["jsd"] = number(summary.jensenShannon, digits: 6)
        fields["cramers_v"] = number(summary.chiSquare?.cramersV, digits: 6)
        return ["summary": .object(fields)]
    }

    /// Every row, then the summary, as NDJSON records.
    public static func records(_ comparison: Comparison) -> [Record] {
        comparison.rows.map { record($0, datasetNames: comparison.datasetNames) } + [summaryRecord(comparison)]
    }

    // MARK: CSV

    /// A header and one line per category; percentages and intervals in percent. The summary
    /// statistics are not part of the CSV (see the NDJSON summary record or the stderr line).
    public static func csv(_ comparison: Comparison) -> String {
        var header = ["category"]
        for name in comparison.datasetNames {
            header += ["count", "percent", "ci_low", "ci_high"].map { "\(name)_\($0)" }
        }
        let pairwise = comparison.datasets.count == 2
        if pairwise { header += ["diff_pp", "log2_lift", "p_value", "q_value"] }
        var lines = [header.map(csvField).joined(separator: ",")]
        for row in comparison.rows {
            var fields = [row.category]
            for share in row.shares {
                fields += [String(share.count), plain(share.percent, digits: 4), plain(share.interval?.low, digits: 4),
                           plain(share.interval?.high, digits: 4)]
            }
            if pairwise {
                fields += [plain(row.differencePoints, digits: 4), plain(row.log2Lift, digits: 4), plain(row.pValue), plain(row.qValue)]
            }
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    // MARK: Markdown

    /// A table for people (count · percent [interval] per dataset), then the summary as a list.
    public static func markdown(_ comparison: Comparison) -> String {
        let pairwise = comparison.datasets.count == 2
        var header = ["Category"] + comparison.datasetNames
        if pairwise { header += ["Diff (pp)", "log2 lift", "p", "q"] }
        var lines = [row(header), "|" + header.indices.map { $0 == 0 ? " --- |" : " ---: |" }.joined()]
        if let stamp = comparison.emulatorStamp { lines.insert(contentsOf: ["**" + stamp + "**", ""], at: 0) }
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
                          categoryRow.log2Lift.map { NumberText.format("%+.2f", $0) } ?? "–",
                          NumberText.probability(categoryRow.pValue), NumberText.probability(categoryRow.qValue)]
            }
            lines.append(row(cells))
        }
        lines.append("")
        lines += summaryLines(comparison).map { "- " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary in words, one fact a line (Markdown list, report, stderr).
    public static func summaryLines(_ comparison: Comparison) -> [String] {
        let summary = comparison.summary
        var lines = comparison.datasetNames.indices.map { index in
            "\(comparison.datasetNames[index]): \(NumberText.images(summary.images[index])), "
                + "\(NumberText.grouped(summary.failed[index])) failed (not counted)"
        }
        if let chi = summary.chiSquare {
            lines.append("Chi-square test of homogeneity: χ² = \(NumberText.format("%.2f", chi.statistic)), dof = \(chi.degreesOfFreedom), "
                         + "p = \(NumberText.probability(chi.pValue)); Cramér's V = \(NumberText.format("%.3f", chi.cramersV))")
        } else {
            lines.append("Chi-square test of homogeneity: not defined (needs two datasets and two categories with images)")
        }
        if let jsd = summary.jensenShannon {
            lines.append("Jensen–Shannon divergence (bits): \(NumberText.format("%.4f", jsd))")
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
