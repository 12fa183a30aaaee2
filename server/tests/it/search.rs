//! Search: relevance over the built-in catalogue, and the three ways in over HTTP.

use crate::support::TestServer;
use app::model::Level;
use reqwest::{header, StatusCode};
use server::catalogue::load_catalogue;
use server::catalogue::source::builtin_files;
use server::search::{SearchIndex, SearchRequest};
use std::sync::OnceLock;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let catalogue = load_catalogue(builtin_files()).unwrap_or_else(|errors| panic!("{errors}"));
        SearchIndex::build(&catalogue).expect("index builds")
    })
}

fn search(text: &str) -> Vec<String> {
    let request = SearchRequest {
        text: text.into(),
        limit: 10,
        ..SearchRequest::default()
    };
    index()
        .search(&request)
        .hits
        .into_iter()
        .map(|hit| hit.slug)
        .collect()
}

/// Realistic queries, misspellings and synonyms, with the page that must be in the top 3.
const RELEVANCE: &[(&str, &str)] = &[
    ("circuit breaker", "circuit-breaker"),
    ("circut breaker", "circuit-breaker"),
    ("thundring herd", "thundering-herd"),
    ("thundering herd", "thundering-herd"),
    ("lazy loading", "cache-aside"),
    ("cache aside", "cache-aside"),
    ("idempot", "idempotency-keys"),
    ("idempotency key", "idempotency-keys"),
    ("write behind", "write-behind"),
    ("write back cache", "write-behind"),
    ("consistent hashing", "consistent-hashing"),
    ("consistant hashing ring", "consistent-hashing"),
    ("token bucket", "rate-limiting"),
    ("sliding window counter", "rate-limiting"),
    ("cap theorem", "cap-theorem"),
    ("PACELC", "pacelc"),
    ("latency numbers", "latency-numbers"),
    ("back of the envelope", "back-of-the-envelope"),
    ("url shortener", "url-shortener"),
    ("bitly", "url-shortener"),
    ("leader election raft", "leader-election"),
    ("fencing token", "distributed-locks"),
    ("kafka partitions", "kafka"),
    ("consumer group offsets", "kafka"),
    ("saga compensation", "saga"),
    ("outbox", "transactional-outbox"),
    ("event sourcing snapshots", "event-sourcing"),
    ("cqrs", "cqrs"),
    ("bloom filter", "cache-penetration"),
    ("negative caching", "cache-penetration"),
    ("exponential backoff jitter", "retries-and-backoff"),
    ("error budget", "slo-and-error-budgets"),
    ("bulkhead", "bulkhead"),
    ("read your writes", "read-your-writes-routing"),
    ("replication lag", "read-replicas"),
    ("quorum", "quorums"),
    ("snowflake id", "unique-id-generation"),
    ("sorted set leaderboard", "leaderboard"),
    ("typeahead autocomplete", "typeahead"),
    ("sticky sessions", "session-stickiness"),
    ("layer 7 load balancer", "layer-4-vs-layer-7"),
];

#[test]
fn realistic_queries_find_their_page_in_the_top_three() {
    let mut misses = Vec::new();
    for (query, expected) in RELEVANCE {
        let hits = search(query);
        if !hits.iter().take(3).any(|slug| slug == expected) {
            misses.push(format!(
                "{query:?} → {:?}, wanted {expected}",
                &hits[..hits.len().min(3)]
            ));
        }
    }
    assert!(RELEVANCE.len() >= 30);
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn phrases_filters_and_fallback() {
    let phrase = index().search(&SearchRequest {
        text: "\"half open\"".into(),
        limit: 10,
        ..Default::default()
    });
    assert!(
        phrase.hits.iter().any(|hit| hit.slug == "circuit-breaker"),
        "{phrase:?}"
    );
    let filtered = index().search(&SearchRequest {
        text: "cache".into(),
        category: Some("worked-designs".into()),
        limit: 50,
        ..Default::default()
    });
    assert!(filtered.total > 0);
    assert!(
        filtered
            .hits
            .iter()
            .all(|hit| hit.category == "worked-designs"),
        "{filtered:?}"
    );
    let levelled = index().search(&SearchRequest {
        text: "cache".into(),
        level: Some(Level::Advanced),
        limit: 50,
        ..Default::default()
    });
    assert!(
        levelled.hits.iter().all(|hit| hit.slug != "cache-aside"),
        "cache-aside is intro"
    );
    let relaxed = index().search(&SearchRequest {
        text: "kafka xylophone".into(),
        limit: 10,
        ..Default::default()
    });
    assert!(
        relaxed.relaxed && relaxed.hits.iter().any(|hit| hit.slug == "kafka"),
        "{relaxed:?}"
    );
}

#[test]
fn hostile_queries_return_quickly_and_safely() {
    let long_parens = "(".repeat(10_000);
    let long_words = "retry ".repeat(5_000);
    for text in [
        "",
        " ",
        "- *",
        "a:(^",
        &long_parens,
        &long_words,
        "\"",
        "<script>alert(1)</script>",
        "日本語",
        "🙂",
        "\u{0}",
        "AND OR NOT",
        "title:cache^10",
        "*?~",
    ] {
        let results = index().search(&SearchRequest {
            text: text.to_string(),
            limit: 10,
            ..Default::default()
        });
        for hit in &results.hits {
            assert!(!hit.snippet.contains("<script"), "{text}: {}", hit.snippet);
        }
    }
    let results = index().search(&SearchRequest {
        text: "<b>cache</b>".into(),
        limit: 10,
        ..Default::default()
    });
    assert!(results.hits.iter().all(|hit| !hit.snippet.contains("<b>")));
}

#[test]
fn hits_deep_link_to_the_section_with_terms_to_highlight() {
    let results = index().search(&SearchRequest {
        text: "fencing token".into(),
        limit: 5,
        ..Default::default()
    });
    let hit = results
        .hits
        .iter()
        .find(|hit| hit.slug == "distributed-locks")
        .expect("hit");
    assert!(
        hit.url
            .starts_with("/patterns/distributed-locks?highlight=fencing+token"),
        "{}",
        hit.url
    );
    if let Some(anchor) = &hit.anchor {
        assert!(hit.url.ends_with(&format!("#{anchor}")));
    }
    assert!(hit.snippet.contains("<mark>"), "{}", hit.snippet);

    let results = index().search(&SearchRequest {
        text: "circut breaker".into(),
        limit: 1,
        ..Default::default()
    });
    assert!(
        results.hits[0].url.contains("highlight=breaker+circuit"),
        "a misspelt word is highlighted as the word it matched: {}",
        results.hits[0].url
    );
}

#[test]
fn nothing_found_suggests_close_words() {
    let results = index().search(&SearchRequest {
        text: "shardnig".into(),
        limit: 10,
        ..Default::default()
    });
    if results.total == 0 {
        assert!(
            results.suggestions.iter().any(|word| word == "sharding"),
            "{results:?}"
        );
    }
    let results = index().search(&SearchRequest {
        text: "qqqqzzzz".into(),
        limit: 10,
        ..Default::default()
    });
    assert_eq!(results.total, 0);
}

#[tokio::test]
async fn the_api_returns_json_and_explains_bad_filters() {
    let server = TestServer::builtin();
    let response = server.get("/api/search?q=circut+breaker&limit=2").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()[header::CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .starts_with("application/json"));
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["hits"][0]["slug"], "circuit-breaker");
    assert_eq!(body["limit"], 2);
    assert!(body["hits"].as_array().expect("array").len() <= 2);
    assert!(body["total"].as_u64().expect("total") >= 1);
    assert!(body["hits"][0]["url"]
        .as_str()
        .expect("url")
        .starts_with("/patterns/circuit-breaker"));

    for (query, message) in [
        ("q=x&category=nope", "unknown category `nope`"),
        ("q=x&level=expert", "unknown level `expert`"),
        ("q=x&tag=no-such-tag", "unknown tag"),
        ("q=x&limit=0", "`limit=0` is not valid"),
        ("q=x&limit=500", "`limit=500` is not valid"),
        ("q=x&limit=ten", "`limit=ten` is not valid"),
        ("q=x&offset=-1", "`offset=-1` is not valid"),
    ] {
        let response = server.get(&format!("/api/search?{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let body: serde_json::Value = response.json().await.expect("json error");
        assert!(
            body["error"].as_str().expect("message").contains(message),
            "{query}: {body}"
        );
    }
    for query in [
        "q=%FF%FE",
        "q=%",
        "q=(((((",
        &format!("q={}", "a".repeat(5000)),
    ] {
        let response = server.get(&format!("/api/search?{query}")).await;
        assert!(
            response.status() == StatusCode::OK || response.status() == StatusCode::BAD_REQUEST,
            "{query}"
        );
    }
}

#[tokio::test]
async fn the_search_page_works_without_javascript() {
    let server = TestServer::builtin();
    let (status, _, html) = server.text("/search?q=thundring+herd").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("value=\"thundring herd\""),
        "the query stays in the form"
    );
    assert!(
        html.contains("href=\"/patterns/thundering-herd?highlight="),
        "{html}"
    );
    assert!(html.contains("<mark>"), "terms are highlighted");

    let (status, _, html) = server
        .text("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("<script>alert(1)"), "the query is escaped");

    let (status, _, html) = server.text("/search?q=qqqqzzzz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("No pages match"), "{html}");
    assert!(
        html.contains("href=\"/categories/caching\""),
        "lists categories when nothing matches"
    );

    let (status, _, html) = server.text("/search?q=cache&level=expert").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("unknown level `expert`"));

    let (_, _, html) = server.text("/search?q=cache").await;
    assert!(html.contains("rel=\"next\""), "many results are paginated");
    let (_, _, page2) = server.text("/search?q=cache&page=2").await;
    assert!(page2.contains("Page 2 of"), "{page2}");
}

#[tokio::test]
async fn browsers_can_add_the_handbook_as_a_search_engine() {
    let server = TestServer::builtin();
    let (status, headers, xml) = server.text("/opensearch.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .starts_with("application/opensearchdescription+xml"));
    assert!(xml.contains("/search?q={searchTerms}"), "{xml}");
    let (_, _, home) = server.text("/").await;
    assert!(home.contains("rel=\"search\""), "pages advertise it");
}

#[test]
fn pages_of_results_do_not_repeat_and_add_up_to_the_total() {
    let first = index().search(&SearchRequest {
        text: "cache".into(),
        limit: 10,
        ..Default::default()
    });
    let second = index().search(&SearchRequest {
        text: "cache".into(),
        limit: 10,
        offset: 10,
        ..Default::default()
    });
    let all = index().search(&SearchRequest {
        text: "cache".into(),
        limit: 50,
        ..Default::default()
    });
    assert!(first.total > 20, "{}", first.total);
    assert_eq!(first.total, all.total);
    let slugs = |results: &server::search::SearchResults| {
        results
            .hits
            .iter()
            .map(|hit| hit.slug.clone())
            .collect::<Vec<_>>()
    };
    let (first, second, all) = (slugs(&first), slugs(&second), slugs(&all));
    assert!(
        first.iter().all(|slug| !second.contains(slug)),
        "{first:?} / {second:?}"
    );
    assert_eq!(
        [first, second].concat(),
        all[..20].to_vec(),
        "pages follow the same order"
    );
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "one hit per page");
}
