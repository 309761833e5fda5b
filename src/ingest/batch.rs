//! JSON batch envelopes: Microsoft Graph's `POST /$batch` answers up to twenty requests in one
//! response (<https://learn.microsoft.com/graph/json-batching>), and a console that batches its
//! calls loads its lists that way. Each successful answer inside is an input of its own; an answer
//! of a kind NHI Lens does not read (`/me`, `/organization`) or an error is left alone, as the
//! extension leaves alone the responses it does not capture (a batch of errors alone is said).

use serde::Deserialize;
use serde_json::value::RawValue;

use super::probe::JsonShape;

/// Whether a JSON document is a batch response: a `responses` list whose first answer has the
/// request's `id` and its HTTP `status`.
pub fn is_batch(shape: &JsonShape) -> bool {
    shape.list_is(Some("responses")) && shape.first_has_all(&["id", "status"])
}

#[derive(Deserialize)]
struct Batch<'a> {
    #[serde(borrow)]
    responses: Vec<Answer<'a>>,
}

#[derive(Deserialize)]
struct Answer<'a> {
    id: String,
    status: u16,
    #[serde(default, borrow)]
    body: Option<&'a RawValue>,
}

/// What a batch response holds: each successful answer's request `id` and JSON body, and the
/// `id` and status of each answer that failed, in the order sent.
pub struct Answers<'a> {
    pub answered: Vec<(String, &'a str)>,
    pub failed: Vec<(String, u16)>,
}

/// The answers of a batch response (see [`Answers`]).
pub fn answers(bytes: &[u8]) -> Result<Answers<'_>, String> {
    let batch: Batch<'_> = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "a JSON batch response: {}",
            super::probe::json_error_reason(&e)
        )
    })?;
    let mut answers = Answers {
        answered: Vec::new(),
        failed: Vec::new(),
    };
    for answer in batch.responses {
        if !(200..300).contains(&answer.status) {
            answers.failed.push((answer.id, answer.status));
            continue;
        }
        // A body that is not JSON (an image, a report) is sent as a base64 string.
        if let Some(body) = answer.body.map(RawValue::get)
            && body.starts_with(['{', '['])
        {
            answers.answered.push((answer.id, body));
        }
    }
    Ok(answers)
}

/// A batch response taken apart by the request that asked for it: each successful JSON answer
/// to a `GET`, with the URL it would have been loaded from alone (the batch's URL less `/$batch`,
/// then the request's relative URL), in the order asked. `None` when `request` names no calls.
pub fn split(batch_url: &str, request: &str, response: &str) -> Option<Vec<(String, String)>> {
    #[derive(Deserialize)]
    struct Asked {
        requests: Vec<Call>,
    }
    #[derive(Deserialize)]
    struct Call {
        id: String,
        #[serde(default)]
        method: Option<String>,
        url: String,
    }
    let asked: Asked = serde_json::from_slice(request.as_bytes()).ok()?;
    let path_end = batch_url.find(['?', '#']).unwrap_or(batch_url.len());
    let base = batch_url[..path_end].strip_suffix("/$batch")?;
    let mut answers = answers(response.as_bytes()).ok()?.answered;
    Some(
        asked
            .requests
            .into_iter()
            .filter(|call| {
                call.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case("GET"))
            })
            .filter_map(|call| {
                let at = answers.iter().position(|(id, _)| *id == call.id)?;
                let (_, body) = answers.remove(at);
                let url = if call.url.starts_with("https://") || call.url.starts_with("http://") {
                    call.url
                } else {
                    format!("{base}/{}", call.url.trim_start_matches('/'))
                };
                Some((url, body.to_string()))
            })
            .collect(),
    )
}

/// The name a captured batch response is kept under, `{url}#{lists}`: a console sends many
/// batches to the one `$batch` URL, and a capture replaces the one kept under its name, so each is
/// named by the collections its answers hold (their OData contexts), which the same view asks
/// for again. `None` when `url` is no batch URL or `body` no batch response.
pub fn capture_name(url: &str, body: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    if !path.ends_with("/$batch") {
        return None;
    }
    #[derive(Deserialize)]
    struct Context {
        #[serde(rename = "@odata.context")]
        context: Option<String>,
    }
    let mut lists: Vec<String> = answers(body.as_bytes())
        .ok()?
        .answered
        .into_iter()
        .filter_map(|(_, body)| {
            serde_json::from_slice::<Context>(body.as_bytes())
                .ok()?
                .context
        })
        .map(|context| {
            context
                .rsplit_once('#')
                .map_or(context.clone(), |(_, set)| set.to_string())
        })
        .collect();
    lists.sort_unstable();
    lists.dedup();
    Some(format!("{url}#{}", lists.join(",")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successful_json_answers_are_taken_out() {
        let text = r#"{"responses":[
            {"id":"2","status":200,"headers":{},"body":{"value":[{"appId":"a"}]}},
            {"id":"1","status":403,"body":{"error":{"code":"Authorization_RequestDenied"}}},
            {"id":"3","status":204},
            {"id":"4","status":200,"body":"iVBORw0KGgo="}
        ]}"#;
        let answers_of = answers(text.as_bytes()).unwrap();
        assert_eq!(
            answers_of.answered,
            [("2".to_string(), r#"{"value":[{"appId":"a"}]}"#)]
        );
        assert_eq!(answers_of.failed, [("1".to_string(), 403)]);
        assert!(answers(b"{\"responses\":[{\"id\":1}]}").is_err());
    }

    #[test]
    fn a_batch_is_taken_apart_by_the_calls_it_answers() {
        let request = r#"{"requests":[
            {"id":"a","method":"GET","url":"/servicePrincipals?$filter=appId eq 'x'"},
            {"id":"b","method":"POST","url":"/directoryObjects/getByIds","body":{}},
            {"id":"c","url":"users/u1/ownedObjects"},
            {"id":"d","method":"GET","url":"/me"},
            {"id":"e","url":"https://graph.microsoft.com/v1.0/users"}
        ]}"#;
        let response = r#"{"responses":[
            {"id":"c","status":200,"body":{"value":[]}},
            {"id":"b","status":200,"body":{"value":[{"id":"x"}]}},
            {"id":"a","status":200,"body":{"value":[{"appId":"x"}]}},
            {"id":"d","status":401,"body":{"error":{}}},
            {"id":"e","status":200,"body":[]}
        ]}"#;
        let url = "https://graph.microsoft.com/beta/$batch";
        assert_eq!(
            split(url, request, response).unwrap(),
            [
                (
                    "https://graph.microsoft.com/beta/servicePrincipals?$filter=appId eq 'x'"
                        .to_string(),
                    r#"{"value":[{"appId":"x"}]}"#.to_string()
                ),
                (
                    "https://graph.microsoft.com/beta/users/u1/ownedObjects".to_string(),
                    r#"{"value":[]}"#.to_string()
                ),
                // A call by its whole URL is taken as it is.
                (
                    "https://graph.microsoft.com/v1.0/users".to_string(),
                    "[]".to_string()
                ),
            ]
        );
        assert_eq!(split(url, "{}", response), None);
        assert_eq!(
            split("https://graph.microsoft.com/beta/users", request, response),
            None
        );
    }

    #[test]
    fn a_batch_is_kept_under_the_lists_it_answers() {
        let url = "https://graph.microsoft.com/beta/$batch";
        let answer = |id: &str, set: &str| {
            format!(
                r#"{{"id":"{id}","status":200,"body":{{"@odata.context":"https://graph.microsoft.com/beta/$metadata#{set}","value":[]}}}}"#
            )
        };
        let batch = |answers: &[String]| format!(r#"{{"responses":[{}]}}"#, answers.join(","));
        let one = batch(&[answer("1", "users"), answer("2", "applications")]);
        let again = batch(&[answer("7", "applications"), answer("8", "users")]);
        let other = batch(&[answer("1", "servicePrincipals")]);
        assert_eq!(
            capture_name(url, &one).as_deref(),
            Some("https://graph.microsoft.com/beta/$batch#applications,users")
        );
        assert_eq!(capture_name(url, &one), capture_name(url, &again));
        assert_ne!(capture_name(url, &one), capture_name(url, &other));
        assert_eq!(
            capture_name("https://graph.microsoft.com/beta/users", &one),
            None
        );
        assert_eq!(capture_name(url, "{}"), None);
    }
}
