//! The in-memory tantivy index and the search itself.
//!
//! Each page gives one document for the page (title, summary, tags, aliases) and one per
//! section (its heading and text). Text is indexed twice: stemmed, so "caches" finds
//! "cache", and plain, so typo (fuzzy) and prefix matching work on the words as written.

use super::query::{typo_allowance, ParsedQuery};
use super::snippet::snippet;
use super::suggest::{closest, edit_distance};
use super::{SearchHit, SearchRequest, SearchResults};
use crate::catalogue::Catalogue;
use std::collections::{BTreeSet, HashSet};
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{doc, Index, IndexReader, Term};

/// Best documents scored per result wanted, before grouping by page: a page has one
/// document per section, so a few per result usually yield enough distinct pages.
const CANDIDATES_PER_RESULT: usize = 8;

#[derive(Debug, thiserror::Error)]
pub enum SearchIndexError {
    #[error("building the search index failed: {0}")]
    Build(#[from] tantivy::TantivyError),
}

/// A field indexed both ways, with its weight.
#[derive(Clone, Copy)]
struct TextField {
    stemmed: Field,
    plain: Field,
    weight: f32,
}

#[derive(Clone, Copy)]
struct Fields {
    doc_id: Field,
    page_id: Field,
    title: TextField,
    keywords: TextField,
    heading: TextField,
    summary: TextField,
    body: TextField,
    category: Field,
    tag: Field,
    level: Field,
}

impl Fields {
    fn text(&self) -> [TextField; 5] {
        [
            self.title,
            self.keywords,
            self.heading,
            self.summary,
            self.body,
        ]
    }
}

/// What a hit needs for display, kept beside the index by document id.
#[derive(Debug, Clone)]
struct Entry {
    slug: String,
    title: String,
    category: String,
    section: Option<(String, String)>,
    text: String,
}

/// The search index of one catalogue version.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    entries: Vec<Entry>,
    stemmer: TextAnalyzer,
    /// Words of titles, headings, tags and aliases, for "did you mean".
    vocabulary: Vec<String>,
    categories: BTreeSet<String>,
    tags: BTreeSet<String>,
}

fn text_field(schema: &mut tantivy::schema::SchemaBuilder, name: &str, weight: f32) -> TextField {
    let options = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    TextField {
        stemmed: schema.add_text_field(&format!("{name}_stemmed"), options("en_stem")),
        plain: schema.add_text_field(&format!("{name}_plain"), options("default")),
        weight,
    }
}

impl SearchIndex {
    pub fn build(catalogue: &Catalogue) -> Result<SearchIndex, SearchIndexError> {
        let mut builder = Schema::builder();
        let fields = Fields {
            // A fast field (column), not a stored one: reading it per candidate costs an
            // array lookup instead of decompressing a block of stored documents.
            doc_id: builder.add_u64_field("doc_id", FAST),
            page_id: builder.add_u64_field("page_id", FAST),
            title: text_field(&mut builder, "title", 6.0),
            keywords: text_field(&mut builder, "keywords", 5.0),
            heading: text_field(&mut builder, "heading", 3.0),
            summary: text_field(&mut builder, "summary", 2.0),
            body: text_field(&mut builder, "body", 1.0),
            category: builder.add_text_field("category", STRING),
            tag: builder.add_text_field("tag", STRING),
            level: builder.add_text_field("level", STRING),
        };
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 50_000_000)?;
        let mut entries = Vec::new();
        let mut vocabulary = BTreeSet::new();
        let mut categories = BTreeSet::new();
        let mut tags = BTreeSet::new();
        for (page_number, entry) in catalogue.pages().enumerate() {
            let page = &entry.page;
            let page_id = page_number as u64;
            let keywords = page
                .tags
                .iter()
                .chain(&page.aliases)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let level = page.level.map(|level| level.as_str()).unwrap_or("");
            categories.insert(page.category.clone());
            tags.extend(page.tags.iter().cloned());
            for text in [&page.title, &keywords, &page.slug] {
                vocabulary.extend(super::query::split_words(text));
            }
            let mut add = |heading: Option<(String, String)>,
                           body: &str,
                           main: bool|
             -> tantivy::Result<()> {
                let id = entries.len() as u64;
                let mut document = doc!(
                    fields.doc_id => id,
                    fields.page_id => page_id,
                    fields.title.stemmed => page.title.as_str(),
                    fields.title.plain => page.title.as_str(),
                    fields.body.stemmed => body,
                    fields.body.plain => body,
                    fields.category => page.category.as_str(),
                    fields.level => level,
                );
                if main {
                    for field in [fields.keywords.stemmed, fields.keywords.plain] {
                        document.add_text(field, &keywords);
                    }
                    for field in [fields.summary.stemmed, fields.summary.plain] {
                        document.add_text(field, &page.summary);
                    }
                }
                if let Some((text, _)) = &heading {
                    for field in [fields.heading.stemmed, fields.heading.plain] {
                        document.add_text(field, text);
                    }
                }
                for tag in &page.tags {
                    document.add_text(fields.tag, tag);
                }
                writer.add_document(document)?;
                entries.push(Entry {
                    slug: page.slug.clone(),
                    title: page.title.clone(),
                    category: page.category.clone(),
                    section: heading,
                    text: if main {
                        page.summary.clone()
                    } else {
                        body.to_string()
                    },
                });
                Ok(())
            };
            add(None, &page.summary, true)?;
            for section in &entry.sections {
                // "Related" is a list of links: its words say nothing about this page.
                if section
                    .heading
                    .as_ref()
                    .is_some_and(|heading| heading.text == "Related")
                {
                    continue;
                }
                let heading = section
                    .heading
                    .as_ref()
                    .map(|heading| (heading.text.clone(), heading.anchor.clone()));
                if let Some((text, _)) = &heading {
                    vocabulary.extend(super::query::split_words(text));
                }
                add(heading, &section.text, false)?;
            }
        }
        writer.commit()?;
        let reader = index.reader()?;
        let stemmer = index
            .tokenizers()
            .get("en_stem")
            .ok_or_else(|| tantivy::TantivyError::InternalError("no en_stem tokenizer".into()))?;
        Ok(SearchIndex {
            reader,
            fields,
            entries,
            stemmer,
            vocabulary: vocabulary
                .into_iter()
                .filter(|word| word.chars().count() > 2)
                .collect(),
            categories,
            tags,
        })
    }

    pub fn has_category(&self, name: &str) -> bool {
        self.categories.contains(name)
    }

    pub fn has_tag(&self, name: &str) -> bool {
        self.tags.contains(name)
    }

    /// Number of documents (pages plus sections).
    pub fn document_count(&self) -> usize {
        self.entries.len()
    }

    fn stem(&self, word: &str) -> String {
        let mut analyzer = self.stemmer.clone();
        let mut stream = analyzer.token_stream(word);
        let mut stemmed = String::new();
        while stream.advance() {
            stemmed.push_str(&stream.token().text);
        }
        if stemmed.is_empty() {
            word.to_string()
        } else {
            stemmed
        }
    }

    /// Runs a search. Any text is accepted; filters must already be valid.
    pub fn search(&self, request: &SearchRequest) -> SearchResults {
        let parsed = ParsedQuery::parse(&request.text);
        let mut results = SearchResults {
            query: request.text.clone(),
            total: 0,
            offset: request.offset,
            limit: request.limit,
            hits: Vec::new(),
            suggestions: Vec::new(),
            relaxed: false,
        };
        if parsed.is_empty() {
            return results;
        }
        let filters = self.filters(request);
        // Cheapest first: every word as written (stemmed), then every word allowing typos,
        // then any word. Typo matching only runs when the words as written find nothing,
        // so a correctly spelt query never pays for fuzzy matching.
        let wanted = request.offset + request.limit;
        let mut found = self.run(
            &self.build_query(&parsed, &filters, Occur::Must, false),
            wanted,
        );
        if found.0 == 0 {
            found = self.run(
                &self.build_query(&parsed, &filters, Occur::Must, true),
                wanted,
            );
        }
        if found.0 == 0 && parsed.words.len() > 1 {
            found = self.run(
                &self.build_query(&parsed, &filters, Occur::Should, true),
                wanted,
            );
            results.relaxed = found.0 > 0;
        }
        let (total, best) = found;
        results.total = total;
        let matcher = self.word_matcher(&parsed);
        let highlight = self.highlight_words(&parsed).join(" ");
        results.hits = best
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .map(|(score, id)| {
                let entry = &self.entries[id];
                let anchor = entry.section.as_ref().map(|(_, anchor)| anchor.clone());
                let mut url = format!("/patterns/{}", entry.slug);
                if !highlight.is_empty() {
                    url.push_str("?highlight=");
                    url.push_str(&app::url::encode_query_value(&highlight));
                }
                if let Some(anchor) = &anchor {
                    url.push('#');
                    url.push_str(anchor);
                }
                SearchHit {
                    slug: entry.slug.clone(),
                    title: entry.title.clone(),
                    category: entry.category.clone(),
                    section: entry.section.as_ref().map(|(text, _)| text.clone()),
                    anchor,
                    url,
                    snippet: snippet(&entry.text, &matcher),
                    score,
                }
            })
            .collect();
        if results.total == 0 {
            results.suggestions = self.suggestions(&parsed);
        }
        results
    }

    /// Counts the matching pages, and returns the best document of each of the top
    /// `wanted` pages (best first).
    fn run(&self, query: &dyn Query, wanted: usize) -> (usize, Vec<(f32, usize)>) {
        let searcher = self.reader.searcher();
        // Counting needs no scores, so it takes tantivy's fast path over every match;
        // scoring is limited to the best few documents.
        let Ok(pages) = searcher.search(query, &DistinctPages) else {
            return (0, Vec::new());
        };
        let total = pages.len();
        let mut candidates = wanted.max(1) * CANDIDATES_PER_RESULT;
        loop {
            let best = self.best_documents(&searcher, query, candidates);
            let mut seen = HashSet::new();
            let distinct: Vec<(f32, usize)> = best
                .iter()
                .copied()
                .filter(|(_, id)| seen.insert(self.entries[*id].slug.as_str()))
                .collect();
            // Rarely, a few pages fill all candidates: widen until enough pages are in.
            if distinct.len() >= wanted.min(total) || best.len() < candidates {
                return (total, distinct);
            }
            candidates *= 4;
        }
    }

    fn best_documents(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        candidates: usize,
    ) -> Vec<(f32, usize)> {
        let Ok(top) = searcher.search(query, &TopDocs::with_limit(candidates).order_by_score())
        else {
            return Vec::new();
        };
        let columns: Vec<Option<tantivy::columnar::Column<u64>>> = searcher
            .segment_readers()
            .iter()
            .map(|segment| segment.fast_fields().u64("doc_id").ok())
            .collect();
        top.into_iter()
            .filter_map(|(score, address)| {
                let column = columns.get(address.segment_ord as usize)?.as_ref()?;
                let id = column.first(address.doc_id)?;
                Some((score, usize::try_from(id).ok()?))
            })
            .collect()
    }

    fn filters(&self, request: &SearchRequest) -> Vec<Box<dyn Query>> {
        let mut filters: Vec<Box<dyn Query>> = Vec::new();
        let exact = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(category) = &request.category {
            filters.push(exact(self.fields.category, category));
        }
        if let Some(tag) = &request.tag {
            filters.push(exact(self.fields.tag, tag));
        }
        if let Some(level) = request.level {
            filters.push(exact(self.fields.level, level.as_str()));
        }
        filters
    }

    fn build_query(
        &self,
        parsed: &ParsedQuery,
        filters: &[Box<dyn Query>],
        words_occur: Occur,
        typos: bool,
    ) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let last = parsed.words.len().saturating_sub(1);
        for (index, word) in parsed.words.iter().enumerate() {
            let prefix = parsed.last_word_is_prefix && index == last;
            clauses.push((words_occur, Box::new(self.word_query(word, prefix, typos))));
        }
        for phrase in &parsed.phrases {
            clauses.push((Occur::Must, Box::new(self.phrase_query(phrase))));
        }
        for filter in filters {
            clauses.push((Occur::Must, filter.box_clone()));
        }
        BooleanQuery::new(clauses)
    }

    /// A word matches exactly (stemmed), within its typo allowance, or as a prefix.
    fn word_query(&self, word: &str, prefix: bool, typos: bool) -> BooleanQuery {
        let stemmed = self.stem(word);
        let allowance = if typos { typo_allowance(word) } else { 0 };
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in self.fields.text() {
            let exact = TermQuery::new(
                Term::from_field_text(field.stemmed, &stemmed),
                IndexRecordOption::WithFreqs,
            );
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(exact), field.weight)),
            ));
            let term = Term::from_field_text(field.plain, word);
            if allowance > 0 {
                let fuzzy = FuzzyTermQuery::new(term.clone(), allowance, true);
                alternatives.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(fuzzy), field.weight * 0.4)),
                ));
            }
            if prefix && word.chars().count() >= 2 {
                let starts = FuzzyTermQuery::new_prefix(term, 0, true);
                alternatives.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(starts), field.weight * 0.6)),
                ));
            }
        }
        BooleanQuery::new(alternatives)
    }

    fn phrase_query(&self, words: &[String]) -> BooleanQuery {
        let stems: Vec<String> = words.iter().map(|word| self.stem(word)).collect();
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in self.fields.text() {
            let terms: Vec<Term> = stems
                .iter()
                .map(|stem| Term::from_field_text(field.stemmed, stem))
                .collect();
            let phrase = PhraseQuery::new(terms);
            alternatives.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(phrase), field.weight)),
            ));
        }
        BooleanQuery::new(alternatives)
    }

    /// Which words of a result to mark: the same rules the query matched with.
    fn word_matcher(&self, parsed: &ParsedQuery) -> impl Fn(&str) -> bool + '_ {
        let words = parsed.all_words();
        let stems: Vec<String> = words.iter().map(|word| self.stem(word)).collect();
        let prefix = parsed
            .last_word_is_prefix
            .then(|| parsed.words.last().cloned())
            .flatten();
        move |candidate: &str| {
            words.iter().zip(&stems).any(|(word, stem)| {
                candidate == word
                    || (typo_allowance(word) > 0
                        && candidate.chars().count().abs_diff(word.chars().count()) <= 2
                        && edit_distance(candidate, word) <= usize::from(typo_allowance(word)))
                    // English stemming only trims endings, so a word whose start differs
                    // from the stem's cannot share it: skip the costly stemming then.
                    || (candidate.starts_with(stem.get(..stem.len().min(3)).unwrap_or(stem))
                        && self.stem(candidate) == *stem)
            }) || prefix.as_ref().is_some_and(|prefix| {
                prefix.chars().count() >= 2 && candidate.starts_with(prefix.as_str())
            })
        }
    }

    /// The words to highlight on the target page: a misspelt word is replaced by the
    /// vocabulary word it was matched to, so the page can find it.
    fn highlight_words(&self, parsed: &ParsedQuery) -> Vec<String> {
        let typing = parsed
            .last_word_is_prefix
            .then(|| parsed.words.last())
            .flatten();
        parsed
            .all_words()
            .into_iter()
            .map(|word| {
                let allowance = usize::from(typo_allowance(&word));
                // The word being typed is highlighted as a prefix already.
                if allowance == 0
                    || typing == Some(&word)
                    || self.vocabulary.binary_search(&word).is_ok()
                {
                    return word;
                }
                closest(&word, &self.vocabulary, 1)
                    .first()
                    .filter(|candidate| edit_distance(&word, candidate) <= allowance)
                    .map_or(word, |candidate| candidate.to_string())
            })
            .collect()
    }

    fn suggestions(&self, parsed: &ParsedQuery) -> Vec<String> {
        let mut suggestions: Vec<String> = Vec::new();
        for word in parsed.all_words() {
            for candidate in closest(&word, &self.vocabulary, 3) {
                if !suggestions.iter().any(|seen| seen == candidate) {
                    suggestions.push(candidate.to_string());
                }
            }
        }
        suggestions.truncate(5);
        suggestions
    }
}

/// Collects the distinct pages a query matches (their `page_id`s), without scoring.
struct DistinctPages;

struct DistinctPagesInSegment {
    column: Option<tantivy::columnar::Column<u64>>,
    pages: HashSet<u64>,
}

impl tantivy::collector::Collector for DistinctPages {
    type Fruit = HashSet<u64>;
    type Child = DistinctPagesInSegment;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<DistinctPagesInSegment> {
        Ok(DistinctPagesInSegment {
            column: reader.fast_fields().u64("page_id").ok(),
            pages: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashSet<u64>>) -> tantivy::Result<HashSet<u64>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl tantivy::collector::SegmentCollector for DistinctPagesInSegment {
    type Fruit = HashSet<u64>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        if let Some(page) = self.column.as_ref().and_then(|column| column.first(doc)) {
            self.pages.insert(page);
        }
    }

    fn harvest(self) -> HashSet<u64> {
        self.pages
    }
}
