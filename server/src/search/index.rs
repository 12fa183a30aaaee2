//! The in-memory tantivy index and the search itself.
//!
//! Each page gives one document for the page (title, summary, tags, aliases) and one per
//! section (its heading and text). Text is indexed twice: stemmed, so "caches" finds
//! "cache", and plain, so typo (fuzzy) and prefix matching work on the words as written.

use super::query::{typo_allowance, ParsedQuery};
use super::snippet::snippet;
use super::suggest::{distance_within, Edits, Lexicon};
use super::{SearchHit, SearchRequest, SearchResults};
use crate::catalogue::Catalogue;
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{
    BitSetDocSet, BooleanQuery, BoostQuery, ConstScorer, EnableScoring, Explanation, Occur,
    PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{doc, DocSet, Index, IndexReader, IndexWriter, Term};

/// Indexing threads at most: the machines Cairn runs on have a few cores, and past four
/// the per-thread memory budgets cost more than the threads save.
const MAX_INDEX_THREADS: usize = 4;
/// Indexing memory per thread. Enough for a thread's share of a 10,000-page handbook to
/// fit one segment, so the build seldom needs a merge; freed when the build ends.
const INDEX_BUDGET_PER_THREAD: usize = 40_000_000;

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

/// What a hit shows of its page, kept once per page.
#[derive(Debug, Clone)]
struct PageInfo {
    slug: String,
    title: String,
    category: String,
}

/// What a hit needs for display, kept beside the index by document id.
#[derive(Debug, Clone)]
struct Entry {
    /// Position in `SearchIndex::pages`.
    page: u32,
    section: Option<(String, String)>,
    /// The text snippets are cut from: the section's, or the page's summary.
    text: Box<str>,
}

/// The search index of one catalogue version.
pub struct SearchIndex {
    reader: IndexReader,
    fields: Fields,
    pages: Vec<PageInfo>,
    entries: Vec<Entry>,
    /// The page of each document id, shared with the collector of every search.
    page_of: Arc<[u32]>,
    stemmer: TextAnalyzer,
    /// Words of titles, headings, tags and aliases, for "did you mean".
    vocabulary: Lexicon,
    /// Every word of the unstemmed fields, to expand a typo or a prefix into the words it
    /// matches before searching (cheaper than an automaton per field per query).
    words: Lexicon,
    categories: BTreeSet<String>,
    tags: BTreeSet<String>,
}

fn text_field(schema: &mut tantivy::schema::SchemaBuilder, name: &str, weight: f32) -> TextField {
    // Stemmed words are scored (BM25 needs frequencies and field lengths) and searched as
    // phrases (positions). Plain words only match typos and prefixes, which score a
    // constant: document ids suffice, and they make the plain fields a fraction the size.
    let stemmed = TextFieldIndexing::default()
        .set_tokenizer("en_stem")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let plain = TextFieldIndexing::default()
        .set_tokenizer("default")
        .set_index_option(IndexRecordOption::Basic)
        .set_fieldnorms(false);
    TextField {
        stemmed: schema.add_text_field(
            &format!("{name}_stemmed"),
            TextOptions::default().set_indexing_options(stemmed),
        ),
        plain: schema.add_text_field(
            &format!("{name}_plain"),
            TextOptions::default().set_indexing_options(plain),
        ),
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
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_INDEX_THREADS);
        let mut writer: IndexWriter =
            index.writer_with_num_threads(threads, threads * INDEX_BUDGET_PER_THREAD)?;
        // Merges are decided below, once, rather than in the background while indexing.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let mut pages = Vec::new();
        let mut entries = Vec::new();
        let mut vocabulary = BTreeSet::new();
        let mut categories = BTreeSet::new();
        let mut tags = BTreeSet::new();
        for (page_number, entry) in catalogue.pages().enumerate() {
            let page = &entry.page;
            let page_id = u32::try_from(page_number).map_err(|_| {
                tantivy::TantivyError::InvalidArgument("too many pages to index".into())
            })?;
            pages.push(PageInfo {
                slug: page.slug.clone(),
                title: page.title.clone(),
                category: page.category.clone(),
            });
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
                    page: page_id,
                    section: heading,
                    text: if main { &page.summary } else { body }.into(),
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
        // Each thread writes at least one segment. One segment answers a query with one
        // pass over each posting list instead of one per segment, so merge them.
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        let reader = index.reader()?;
        reader.reload()?;
        let words = Lexicon::new(indexed_words(&reader.searcher(), &fields)?);
        let stemmer = index
            .tokenizers()
            .get("en_stem")
            .ok_or_else(|| tantivy::TantivyError::InternalError("no en_stem tokenizer".into()))?;
        let page_of = entries.iter().map(|entry| entry.page).collect();
        Ok(SearchIndex {
            reader,
            fields,
            pages,
            entries,
            page_of,
            stemmer,
            vocabulary: Lexicon::new(
                vocabulary
                    .into_iter()
                    .filter(|word| word.chars().count() > 2),
            ),
            words,
            categories,
            tags,
        })
    }

    /// Segments the index is split into: one after a build.
    pub fn segment_count(&self) -> usize {
        self.reader.searcher().segment_readers().len()
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
            .filter_map(|(score, id)| {
                let entry = self.entries.get(id)?;
                let page = self.pages.get(entry.page as usize)?;
                let anchor = entry.section.as_ref().map(|(_, anchor)| anchor.clone());
                let mut url = format!("/patterns/{}", page.slug);
                if !highlight.is_empty() {
                    url.push_str("?highlight=");
                    url.push_str(&app::url::encode_query_value(&highlight));
                }
                if let Some(anchor) = &anchor {
                    url.push('#');
                    url.push_str(anchor);
                }
                Some(SearchHit {
                    slug: page.slug.clone(),
                    title: page.title.clone(),
                    category: page.category.clone(),
                    section: entry.section.as_ref().map(|(text, _)| text.clone()),
                    anchor,
                    url,
                    snippet: snippet(&entry.text, &matcher),
                    score,
                })
            })
            .collect();
        if results.total == 0 {
            results.suggestions = self.suggestions(&parsed);
        }
        results
    }

    /// Counts the matching pages, and returns the best document of each of the top
    /// `wanted` pages (best first).
    ///
    /// One pass over the matches does both: every match is scored anyway (no pruning
    /// applies to a conjunction of per-word alternatives), and keeping each page's best
    /// document as it goes needs neither a second, counting pass nor a retry when a few
    /// pages fill the top documents.
    fn run(&self, query: &dyn Query, wanted: usize) -> (usize, Vec<(f32, usize)>) {
        let searcher = self.reader.searcher();
        let collector = BestPerPage {
            page_of: Arc::clone(&self.page_of),
            pages: self.pages.len(),
        };
        let Ok(mut best) = searcher.search(query, &collector) else {
            return (0, Vec::new());
        };
        let total = best.len();
        // Higher score first; on a tie, the earlier document (the page before its
        // sections, then the catalogue's order), whichever segment holds it.
        let order = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if wanted < best.len() {
            best.select_nth_unstable_by(wanted, order);
            best.truncate(wanted);
        }
        best.sort_unstable_by(order);
        let best = best
            .into_iter()
            .map(|(score, id)| (score, id as usize))
            .collect();
        (total, best)
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
    ///
    /// Typos and prefixes are looked up once in the list of indexed words, and the words
    /// found are searched in every field as a set; an empty set adds no clause at all.
    fn word_query(&self, word: &str, prefix: bool, typos: bool) -> BooleanQuery {
        let stemmed = self.stem(word);
        let allowance = if typos { typo_allowance(word) } else { 0 };
        let near: Vec<&str> = if allowance > 0 {
            self.words
                .within(word, usize::from(allowance), Edits::WithTranspositions)
                .into_iter()
                .map(|(_, near)| near)
                .collect()
        } else {
            Vec::new()
        };
        let continuations: Vec<&str> = if prefix && word.chars().count() >= 2 {
            self.words.starting_with(word).collect()
        } else {
            Vec::new()
        };
        let near: Arc<[String]> = near.into_iter().map(String::from).collect();
        let continuations: Arc<[String]> = continuations.into_iter().map(String::from).collect();
        let any_of = |field: Field, words: &Arc<[String]>, score: f32| -> Box<dyn Query> {
            Box::new(AnyWordQuery {
                field,
                words: Arc::clone(words),
                score,
            })
        };
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
            if !near.is_empty() {
                alternatives.push((
                    Occur::Should,
                    any_of(field.plain, &near, field.weight * 0.4),
                ));
            }
            if !continuations.is_empty() {
                alternatives.push((
                    Occur::Should,
                    any_of(field.plain, &continuations, field.weight * 0.6),
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
        let spellings: Vec<(Vec<char>, usize)> = words
            .iter()
            .map(|word| (word.chars().collect(), usize::from(typo_allowance(word))))
            .collect();
        let prefix = parsed
            .last_word_is_prefix
            .then(|| parsed.words.last().cloned())
            .flatten();
        // One analyzer for every word of every snippet, rather than a copy per word.
        let stemmer = RefCell::new(self.stemmer.clone());
        let stem = move |word: &str| -> String {
            let mut analyzer = stemmer.borrow_mut();
            let mut stream = analyzer.token_stream(word);
            let mut stemmed = String::new();
            while stream.advance() {
                stemmed.push_str(&stream.token().text);
            }
            stemmed
        };
        move |candidate: &str| {
            let mut letters: Option<Vec<char>> = None;
            words.iter().zip(&stems).zip(&spellings).any(|((word, stem_of_word), (spelling, allowance))| {
                candidate == word
                    || (*allowance > 0 && {
                        let letters = letters.get_or_insert_with(|| candidate.chars().collect());
                        distance_within(letters, spelling, *allowance, Edits::Plain).is_some()
                    })
                    // English stemming only trims endings, so a word whose start differs
                    // from the stem's cannot share it: skip the costly stemming then.
                    || (candidate.starts_with(stem_of_word.get(..stem_of_word.len().min(3)).unwrap_or(stem_of_word))
                        && stem(candidate) == *stem_of_word)
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
                // The word being typed is highlighted as a prefix already, and a word the
                // index holds as written is on the page as written.
                if allowance == 0
                    || typing == Some(&word)
                    || self.vocabulary.contains(&word)
                    || self.words.contains(&word)
                {
                    return word;
                }
                // `closest` keeps to the word's allowance of edits or fewer.
                self.vocabulary
                    .closest(&word, 1)
                    .first()
                    .filter(|candidate| {
                        let (word, candidate): (Vec<char>, Vec<char>) =
                            (word.chars().collect(), candidate.chars().collect());
                        distance_within(&word, &candidate, allowance, Edits::Plain).is_some()
                    })
                    .map_or(word, |candidate| candidate.to_string())
            })
            .collect()
    }

    fn suggestions(&self, parsed: &ParsedQuery) -> Vec<String> {
        let mut suggestions: Vec<String> = Vec::new();
        for word in parsed.all_words() {
            for candidate in self.vocabulary.closest(&word, 3) {
                if !suggestions.iter().any(|seen| seen == candidate) {
                    suggestions.push(candidate.to_string());
                }
            }
        }
        suggestions.truncate(5);
        suggestions
    }
}

/// Matches the documents holding any of `words` in `field`, all with the same score.
///
/// What tantivy's `TermSetQuery` does, without building a finite-state automaton of the
/// words for every field of every query: the words are already known to be in the index,
/// so each is looked up directly.
#[derive(Debug, Clone)]
struct AnyWordQuery {
    field: Field,
    words: Arc<[String]>,
    score: f32,
}

impl Query for AnyWordQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for AnyWordQuery {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn Scorer>> {
        let inverted = reader.inverted_index(self.field)?;
        let mut documents = tantivy::BitSet::with_max_value(reader.max_doc());
        for word in self.words.iter() {
            let term = Term::from_field_text(self.field, word);
            let Some(info) = inverted.get_term_info(&term)? else {
                continue;
            };
            let mut postings =
                inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
            while !postings.docs().is_empty() {
                for &doc in postings.docs() {
                    documents.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(Box::new(ConstScorer::new(
            BitSetDocSet::from(documents),
            boost * self.score,
        )))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: tantivy::DocId,
    ) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("any of the words", self.score))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} has none of the words"
            )))
        }
    }
}

/// Every word of the unstemmed fields, read from the index's term dictionaries.
fn indexed_words(searcher: &tantivy::Searcher, fields: &Fields) -> tantivy::Result<Vec<String>> {
    let mut words = BTreeSet::new();
    for segment in searcher.segment_readers() {
        for field in fields.text() {
            let inverted = segment.inverted_index(field.plain)?;
            let mut terms = inverted.terms().stream()?;
            while terms.advance() {
                if let Ok(word) = std::str::from_utf8(terms.key()) {
                    if !words.contains(word) {
                        words.insert(word.to_string());
                    }
                }
            }
        }
    }
    Ok(words.into_iter().collect())
}

/// Collects, for every page a query matches, its best document: `(score, document id)`.
struct BestPerPage {
    page_of: Arc<[u32]>,
    pages: usize,
}

struct BestPerPageInSegment {
    ids: Option<tantivy::columnar::Column<u64>>,
    page_of: Arc<[u32]>,
    /// By page: the best `(score, document id)` so far; `u32::MAX` marks an unseen page.
    best: Vec<(f32, u32)>,
    /// Pages seen, in the order first seen.
    seen: Vec<u32>,
}

/// `(page, score, document id)` of each page a segment matched.
type PageBests = Vec<(u32, f32, u32)>;

/// Whether `(score, id)` ranks before `than`: higher score, then earlier document.
fn ranks_before(score: f32, id: u32, than: (f32, u32)) -> bool {
    score > than.0 || (score == than.0 && id < than.1)
}

impl tantivy::collector::Collector for BestPerPage {
    type Fruit = Vec<(f32, u32)>;
    type Child = BestPerPageInSegment;

    fn for_segment(
        &self,
        _segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<BestPerPageInSegment> {
        Ok(BestPerPageInSegment {
            ids: reader.fast_fields().u64("doc_id").ok(),
            page_of: Arc::clone(&self.page_of),
            best: vec![(f32::NEG_INFINITY, u32::MAX); self.pages],
            seen: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, mut fruits: Vec<PageBests>) -> tantivy::Result<Vec<(f32, u32)>> {
        if fruits.len() == 1 {
            let only = fruits.pop().unwrap_or_default();
            return Ok(only.into_iter().map(|(_, score, id)| (score, id)).collect());
        }
        let mut by_page: HashMap<u32, (f32, u32)> = HashMap::new();
        for (page, score, id) in fruits.into_iter().flatten() {
            by_page
                .entry(page)
                .and_modify(|best| {
                    if ranks_before(score, id, *best) {
                        *best = (score, id);
                    }
                })
                .or_insert((score, id));
        }
        Ok(by_page.into_values().collect())
    }
}

impl tantivy::collector::SegmentCollector for BestPerPageInSegment {
    type Fruit = PageBests;

    fn collect(&mut self, doc: tantivy::DocId, score: tantivy::Score) {
        let Some(id) = self.ids.as_ref().and_then(|ids| ids.first(doc)) else {
            return;
        };
        let Ok(id) = u32::try_from(id) else {
            return;
        };
        let Some(&page) = self.page_of.get(id as usize) else {
            return;
        };
        let Some(best) = self.best.get_mut(page as usize) else {
            return;
        };
        if best.1 == u32::MAX {
            self.seen.push(page);
            *best = (score, id);
        } else if ranks_before(score, id, *best) {
            *best = (score, id);
        }
    }

    fn harvest(self) -> PageBests {
        self.seen
            .iter()
            .filter_map(|&page| {
                let (score, id) = *self.best.get(page as usize)?;
                Some((page, score, id))
            })
            .collect()
    }
}
