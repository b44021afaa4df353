// FieldReportPages: the report's sections for `--field` — clusters and keywords with the highest
// lift (the reference's report), one shift table per attribute field — and the pages per cluster
// and per keyword with the images behind them. All text from the data is escaped.

struct FieldReportPages {
    /// What a field's section shows.
    enum Kind {
        case clusters, keywords, attribute
    }

    /// The reference's report sizes: clusters and keywords with the highest lift.
    static let topClusters = 12
    static let topKeywords = 25

    let comparisons: [Comparison]
    /// Each comparison's paged values with their images per dataset (`imagesByValue`), in order.
    let images: [[String: [[ImageEntry]]]]
    /// The cluster tool's summary by cluster label.
    let clusters: [String: ClusterSummary]
    /// Thumbnail paths (relative to the report directory) by source image path.
    var thumbnails: [String: String] = [:]
    let text: ChartText
    /// Example thumbnails per cluster and dataset.
    let examples: Int
    /// An SVG chart per attribute field, by field name.
    var charts: [String: String] = [:]

    init(comparisons: [Comparison], clusters: [ClusterSummary], text: ChartText, examples: Int) {
        self.comparisons = comparisons
        images = comparisons.map(Self.imagesByValue)
        self.clusters = Dictionary(clusters.map { ($0.cluster, $0) }, uniquingKeysWith: { first, _ in first })
        self.text = text
        self.examples = examples
    }

    /// Every image a section or page shows.
    var imagePaths: [String] {
        images.flatMap { $0.values.flatMap { $0.flatMap { $0.compactMap(\.path) } } }
    }

    static func kind(of comparison: Comparison) -> Kind {
        switch comparison.field {
        case "cluster": return .clusters
        case "keywords": return .keywords
        default: return .attribute
        }
    }

    /// The rows with a log2 lift above 0, highest first (ties by name), at most `count`.
    static func highestLift(_ comparison: Comparison, count: Int) -> [CategoryRow] {
        let lifted = comparison.rows.filter { ($0.log2Lift ?? 0) > 0 }
        return Array(lifted.sorted { a, b in a.log2Lift! != b.log2Lift! ? a.log2Lift! > b.log2Lift! : a.category < b.category }.prefix(count))
    }

    /// The reference's highlight: log2 lift ≥ 1 and q < 0.05.
    static func isHighlighted(_ row: CategoryRow) -> Bool {
        (row.log2Lift ?? 0) >= 1 && row.isSignificant()
    }

    /// The values that get a page of their own: every cluster, the keywords with the highest lift.
    static func pagedValues(_ comparison: Comparison) -> [String] {
        switch kind(of: comparison) {
        case .clusters: return comparison.rows.map(\.category)
        case .keywords: return highestLift(comparison, count: topKeywords).map(\.category)
        case .attribute: return []
        }
    }

    /// The page of a value: `clusters/…html` or `keywords/…html`.
    static func pageName(_ value: String, in comparison: Comparison) -> String? {
        switch kind(of: comparison) {
        case .clusters: return ReportPages.pageName(value, folder: "clusters")
        case .keywords: return ReportPages.pageName(value, folder: "keywords")
        case .attribute: return nil
        }
    }

    /// Each paged value's images per dataset, in input order.
    static func imagesByValue(_ comparison: Comparison) -> [String: [[ImageEntry]]] {
        var result: [String: [[ImageEntry]]] = [:]
        for value in pagedValues(comparison) { result[value] = Array(repeating: [], count: comparison.datasets.count) }
        guard !result.isEmpty else { return result }
        for (index, dataset) in comparison.datasets.enumerated() {
            for entry in dataset.entries {
                for value in entry.categories where result[value] != nil { result[value]![index].append(entry) }
            }
        }
        return result
    }

    // MARK: Sections

    /// Every field's section, in the order the fields were given.
    func sections() -> String {
        zip(comparisons, images).map { comparison, images in
            let pages = ReportPages(comparison: comparison, images: images, thumbnails: thumbnails, text: text)
            switch Self.kind(of: comparison) {
            case .clusters: return clusterSection(comparison, pages: pages)
            case .keywords: return keywordSection(comparison, pages: pages)
            case .attribute: return attributeSection(comparison, pages: pages)
            }
        }.joined()
    }

    private func clusterSection(_ comparison: Comparison, pages: ReportPages) -> String {
        let top = Self.highestLift(comparison, count: Self.topClusters)
        var html = "<section id=\"clusters\"><h2>\(e(text.clustersHeading))</h2>\n"
        html += "<p class=\"note\">\(e(text.clustersNote(Self.topClusters, examples)))</p>\n"
        html += summaryList(comparison)
        if top.isEmpty { html += "<p class=\"note\">\(e(text.noLift))</p>\n" }
        for row in top {
            let page = Self.pageName(row.category, in: comparison) ?? ""
            html += "<article class=\"cluster\(Self.isHighlighted(row) ? " highlight" : "")\"><h3><a href=\"\(e(page))\">"
            html += "\(e(text.clusterTitle(row.category)))</a><span class=\"meta\">\(e(meta(row, comparison)))</span></h3>\n"
            html += keywordLine(row.category)
            html += "<div class=\"pair\" style=\"grid-template-columns: repeat(\(comparison.datasets.count), minmax(0, 1fr))\">\n"
            let perDataset = pages.images[row.category] ?? []
            for (index, name) in comparison.datasetNames.enumerated() {
                let all = index < perDataset.count ? perDataset[index] : []
                html += pages.datasetColumn(name: name, index: index, share: row.shares[index],
                                            images: exampleImages(all, cluster: row.category, dataset: name), root: "")
            }
            html += "</div></article>\n"
        }
        html += "<h3>\(e(text.shiftTableHeading("cluster", comparison.rows.count)))</h3>\n"
        html += pages.table { Self.pageName($0, in: comparison) }
        return html + "</section>\n"
    }

    private func keywordSection(_ comparison: Comparison, pages: ReportPages) -> String {
        var top = comparison
        top.rows = Self.highestLift(comparison, count: Self.topKeywords)
        var html = "<section id=\"keywords\"><h2>\(e(text.keywordsHeading))</h2>\n"
        html += "<p class=\"note\">\(e(text.keywordsNote(Self.topKeywords)))</p>\n"
        html += summaryList(comparison)
        if top.rows.isEmpty { return html + "<p class=\"note\">\(e(text.noLift))</p>\n</section>\n" }
        let topPages = ReportPages(comparison: top, images: pages.images, thumbnails: thumbnails, text: text)
        html += topPages.table { Self.pageName($0, in: comparison) }
        return html + "</section>\n"
    }

    private func attributeSection(_ comparison: Comparison, pages: ReportPages) -> String {
        let field = comparison.field ?? ""
        var html = "<section class=\"attribute\" id=\"field-\(e(ReportPages.slug(field)))\">"
        html += "<h2>\(e(text.attributeHeading(field)))</h2>\n" + summaryList(comparison)
        if let chart = charts[field] { html += "<figure class=\"chart\">\n\(chart)</figure>\n" }
        html += "<h3>\(e(text.shiftTableHeading(field, comparison.rows.count)))</h3>\n"
        html += pages.table { _ in nil }
        return html + "</section>\n"
    }

    private func summaryList(_ comparison: Comparison) -> String {
        "<ul class=\"facts\">\n" + ComparisonTable.summaryLines(comparison, text: text).map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
    }

    /// "log2 lift +1.20 · log2 lift (counts) +1.32 · q = 0.004 · REAL 3.0% · GEN 9.1%"
    private func meta(_ row: CategoryRow, _ comparison: Comparison) -> String {
        var parts: [String] = []
        if let lift = row.log2Lift { parts.append(text.liftColumn + " " + NumberText.format("%+.2f", lift)) }
        if let lift = row.log2LiftCounts { parts.append(text.liftCountsColumn + " " + NumberText.format("%+.2f", lift)) }
        if let q = row.qValue { parts.append("q = " + NumberText.probability(q)) }
        parts += zip(comparison.datasetNames, row.shares).map { "\($0) \(NumberText.percent($1.percent))" }
        return parts.joined(separator: " · ")
    }

    private func keywordLine(_ cluster: String) -> String {
        guard let keywords = clusters[cluster]?.keywords, !keywords.isEmpty else { return "" }
        return "<p class=\"keywords\"><strong>\(e(text.keywordsOfCluster))</strong>: "
            + keywords.map { "<span class=\"term\">\(e($0.term))</span>" }.joined(separator: ", ") + "</p>\n"
    }

    /// The cluster tool's example ids for the dataset when they are among the images, else a fixed sample.
    private func exampleImages(_ images: [ImageEntry], cluster: String, dataset: String) -> [ImageEntry] {
        if let ids = clusters[cluster]?.examples[dataset], !ids.isEmpty {
            let byID = Dictionary(images.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let chosen = ids.compactMap { byID[$0] }
            if !chosen.isEmpty { return Array(chosen.prefix(examples)) }
        }
        return ReportPages.sample(images, examples)
    }

    // MARK: Pages

    /// Every page of a value with its file name under the report directory.
    func valuePages() -> [(path: String, html: String)] {
        zip(comparisons, images).flatMap { comparison, images -> [(path: String, html: String)] in
            let pages = ReportPages(comparison: comparison, images: images, thumbnails: thumbnails, text: text)
            let paged = Set(Self.pagedValues(comparison))
            return comparison.rows.filter { paged.contains($0.category) }.compactMap { row in
                Self.pageName(row.category, in: comparison).map { ($0, valuePage(row, comparison: comparison, pages: pages)) }
            }
        }
    }

    private func valuePage(_ row: CategoryRow, comparison: Comparison, pages: ReportPages) -> String {
        let title = Self.kind(of: comparison) == .clusters ? text.clusterTitle(row.category) : text.keywordTitle(row.category)
        var html = pages.head(title: title)
        html += "<header><p><a href=\"../index.html\">\(e(text.backToAll))</a></p><h1>\(e(title))</h1>"
        html += "<p class=\"lead\">\(e(meta(row, comparison)))</p>"
        if let stamp = comparison.emulatorStamp(text) { html += "<p class=\"stamp\"><strong>\(e(stamp))</strong></p>" }
        html += "</header>\n" + keywordLine(Self.kind(of: comparison) == .clusters ? row.category : "")
        html += "<div class=\"pair\" style=\"grid-template-columns: repeat(\(comparison.datasets.count), minmax(0, 1fr))\">\n"
        let perDataset = pages.images[row.category] ?? []
        for (index, name) in comparison.datasetNames.enumerated() {
            let all = index < perDataset.count ? perDataset[index] : []
            html += pages.datasetColumn(name: name, index: index, share: row.shares[index], images: all, root: "../")
        }
        return html + "</div>\n</body>\n</html>\n"
    }

    /// The main page when no category table is asked for: the datasets, then the fields' sections.
    func index(sections: String) -> String {
        guard let first = comparisons.first else { return "" }
        let pages = ReportPages(comparison: first, images: [:], thumbnails: thumbnails, text: text)
        let title = text.analysisTitle(first.datasetNames)
        var html = pages.head(title: title)
        html += "<header><h1>\(e(title))</h1><p class=\"lead\">\(e(BarChart.datasetLine(first, Array(first.datasets.indices), text: text)))</p>"
        if let stamp = first.emulatorStamp(text) { html += "<p class=\"stamp\"><strong>\(e(stamp))</strong></p>" }
        html += "</header>\n" + sections + ReportPages.sortScript + "</body>\n</html>\n"
        return html
    }

    private func e(_ text: String) -> String { HTMLText.escape(text) }
}
