//! A synthetic Microsoft Graph `GET /applications` page in the documented shape, for benchmarks:
//! about 1 KB per application, like a real export without `$select`.

use std::fmt::Write as _;

use serde::Deserialize;

/// A small deterministic generator (xorshift), so every run benchmarks the same bytes.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn guid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

fn date(rng: &mut Rng, first_year: u64, years: u64) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        first_year + rng.below(years),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

/// One `application` object.
pub fn application(rng: &mut Rng, i: usize, out: &mut String) {
    let id = rng.guid();
    let app_id = rng.guid();
    let created = date(rng, 2018, 8);
    let _ = write!(
        out,
        r#"{{"id":"{id}","deletedDateTime":null,"appId":"{app_id}","disabledByMicrosoftStatus":null,"createdDateTime":"{created}","displayName":"Contoso integration {i}","description":null,"identifierUris":["api://{app_id}"],"isFallbackPublicClient":false,"notes":null,"publisherDomain":"contoso.onmicrosoft.com","signInAudience":"AzureADMyOrg","tags":[],"verifiedPublisher":{{"displayName":null,"verifiedPublisherId":null,"addedDateTime":null}},"keyCredentials":["#
    );
    if i.is_multiple_of(3) {
        let key_id = rng.guid();
        let start = date(rng, 2022, 3);
        let _ = write!(
            out,
            r#"{{"customKeyIdentifier":"{:016X}{:016X}","displayName":"CN=integration-{i}","endDateTime":"2027-01-01T00:00:00Z","key":null,"keyId":"{key_id}","startDateTime":"{start}","type":"AsymmetricX509Cert","usage":"Verify"}}"#,
            rng.next(),
            rng.next()
        );
    }
    out.push_str(r#"],"passwordCredentials":["#);
    for k in 0..rng.below(3) {
        if k > 0 {
            out.push(',');
        }
        let key_id = rng.guid();
        let start = date(rng, 2019, 6);
        let end = if rng.below(4) == 0 {
            "2299-12-31T00:00:00Z".to_string()
        } else {
            date(rng, 2025, 4)
        };
        let _ = write!(
            out,
            r#"{{"customKeyIdentifier":null,"displayName":"secret {k}","endDateTime":"{end}","hint":"a{k}~","keyId":"{key_id}","secretText":null,"startDateTime":"{start}"}}"#
        );
    }
    let role = rng.guid();
    let scope = rng.guid();
    let _ = write!(
        out,
        r#"],"requiredResourceAccess":[{{"resourceAppId":"00000003-0000-0000-c000-000000000000","resourceAccess":[{{"id":"{role}","type":"Role"}},{{"id":"{scope}","type":"Scope"}}]}}],"web":{{"homePageUrl":null,"logoutUrl":null,"redirectUris":["https://app{i}.contoso.com/signin-oidc"],"implicitGrantSettings":{{"enableIdTokenIssuance":false}}}}}}"#
    );
}

/// A whole `GET /applications` response with `count` applications.
pub fn applications_page(count: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(count * 1100 + 200);
    out.push_str(
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":["#,
    );
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        application(&mut rng, i, &mut out);
    }
    out.push_str("]}");
    out
}

/// The application fields NHI Lens reads, typed, as serde_json alone would parse them.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    id: Option<String>,
    app_id: String,
    display_name: Option<String>,
    created_date_time: Option<String>,
    publisher_domain: Option<String>,
    verified_publisher: Option<Publisher>,
    #[serde(default)]
    password_credentials: Vec<Credential>,
    #[serde(default)]
    key_credentials: Vec<Credential>,
    disabled_by_microsoft_status: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Publisher {
    display_name: Option<String>,
    verified_publisher_id: Option<String>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    key_id: Option<String>,
    display_name: Option<String>,
    hint: Option<String>,
    usage: Option<String>,
    start_date_time: Option<String>,
    end_date_time: Option<String>,
    custom_key_identifier: Option<String>,
}

#[derive(Deserialize)]
pub struct Page {
    pub value: Vec<Application>,
}
