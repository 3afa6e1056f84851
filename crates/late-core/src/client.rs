//! [`Client`]: the calls, over a shared [`Transport`].

use std::sync::Arc;
use std::time::Instant;

use tokio_util::sync::CancellationToken;

use crate::api::accounts::{self, ListAccountsParams};
use crate::api::connect::{self, ConnectParams, ConnectResult};
use crate::api::default_profile::DefaultProfile;
use crate::api::profiles;
use crate::api::upload::{self, Upload, UploadOutcome};
use crate::base::error::{Error, Result};
use crate::base::rate_limit::RateLimit;
use crate::net::http_client::HttpClient;
use crate::policy::pacing::{Pacer, PacingStats};
use crate::send::config::ClientConfig;
use crate::send::transport::{Transport, Warmup};
use crate::wire::request::{CallOptions, Request};
use crate::wire::response::Response;

/// A Late / Zernio API client. Cheap to clone; clones share the connection pool and the
/// cached default profile.
#[derive(Clone, Debug)]
pub struct Client {
    transport: Transport,
    default_profile: Arc<DefaultProfile>,
}

impl Client {
    /// Validates `config` and builds a client with its own connection pool.
    pub fn new(mut config: ClientConfig) -> Result<Self> {
        config.validate()?;
        let http = HttpClient::build(config.network.clone(), config.is_https())?;
        let pacer = Pacer::new(&config.rate_limit, &config.api_key, config.notes.clone());
        Ok(Self {
            transport: Transport::new(http, Arc::new(config), pacer)?,
            default_profile: Arc::default(),
        })
    }

    /// A client with another configuration that shares this one's connection pool (unless the
    /// trust, proxy, HTTP/2 setting or the base URL's scheme changed: then it gets a pool of its
    /// own). The default-profile cache is shared only when the key and base URL are unchanged;
    /// the pacer (so a 429's pause) when the key and the `rateLimit` option are.
    pub fn with_config(&self, mut config: ClientConfig) -> Result<Self> {
        config.validate()?;
        let shared = self.transport.http_client();
        let http = if *shared.settings == config.network
            && config.is_https() == self.config().is_https()
        {
            shared.clone()
        } else {
            HttpClient::build(config.network.clone(), config.is_https())?
        };
        let same_account =
            config.api_key == self.config().api_key && config.base_url == self.config().base_url;
        let default_profile = if same_account {
            self.default_profile.clone()
        } else {
            Arc::default()
        };
        let pacer = if config.api_key == self.config().api_key
            && self.transport.pacer().is_for(&config.rate_limit)
        {
            self.transport.pacer().clone()
        } else {
            Pacer::new(&config.rate_limit, &config.api_key, config.notes.clone())
        };
        Ok(Self {
            transport: Transport::new(http, Arc::new(config), pacer)?,
            default_profile,
        })
    }

    /// What pacing does and did (mode, limit, queue, waits, Redis fallbacks).
    pub fn pacing_stats(&self) -> PacingStats {
        self.transport.pacer().stats()
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        self.transport.config()
    }

    /// A decode error with this client's key redacted from its excerpt.
    fn redact(&self, err: Error) -> Error {
        crate::wire::body_error::redact(err, &self.config().api_key)
    }

    /// Rate-limit headers of the most recent response.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        self.transport.last_rate_limit()
    }

    /// Opens and handshakes one pooled connection to the API ahead of the first call.
    pub async fn warmup(
        &self,
        timeout: Option<std::time::Duration>,
        cancel: &CancellationToken,
    ) -> Result<Warmup> {
        self.transport.warmup(timeout, cancel).await
    }

    /// Any request, with retries, timeouts and cancellation.
    pub async fn request(
        &self,
        req: &Request,
        opts: &CallOptions,
        cancel: &CancellationToken,
    ) -> Result<Response> {
        self.transport.execute(req, opts, cancel).await
    }

    /// The id of the default profile (`isDefault`), looked up once and cached. Calls that need
    /// it while another call looks it up wait for that lookup within their own options (cancel
    /// token, deadline, one attempt's timeout), then look it up themselves; see
    /// `api/default_profile.rs`.
    pub async fn default_profile_id(
        &self,
        opts: &CallOptions,
        cancel: &CancellationToken,
    ) -> Result<String> {
        let lookup = |o: CallOptions| async move {
            let resp = self
                .transport
                .execute(&profiles::list_request(), &o, cancel)
                .await?;
            profiles::pick_default(&resp).map_err(|e| self.redact(e))
        };
        self.default_profile
            .get(opts, self.config().timeout, cancel, lookup)
            .await
    }

    async fn profile_or_default(
        &self,
        given: Option<&str>,
        opts: &CallOptions,
        cancel: &CancellationToken,
    ) -> Result<String> {
        match given {
            Some(id) => Ok(id.to_string()),
            None => self.default_profile_id(opts, cancel).await,
        }
    }

    /// `GET /v1/connect/{platform}` → `{connectUrl, state, ...}`. Input is checked before any
    /// request, including the default-profile lookup.
    pub async fn connect(
        &self,
        platform: &str,
        params: &ConnectParams,
        opts: &CallOptions,
        cancel: &CancellationToken,
    ) -> Result<ConnectResult> {
        // Validate everything with a placeholder id first: no request for bad input.
        connect::build_request(
            platform,
            params.profile_id.as_deref().unwrap_or("default"),
            params,
        )?;
        let started = Instant::now();
        let profile_id = self
            .profile_or_default(params.profile_id.as_deref(), opts, cancel)
            .await?;
        let req = connect::build_request(platform, &profile_id, params)?;
        let resp = self
            .transport
            .execute(&req, &opts.left_since(started)?, cancel)
            .await?;
        connect::map_response(&resp).map_err(|e| self.redact(e))
    }

    /// One page of `GET /v1/accounts`: the first (`next: None`) or the one `next` points to.
    /// Filters are checked and the default profile resolved before any request; the body is
    /// returned untouched, for callers that parse it themselves (the JS facade does, with
    /// `JSON.parse`, which is faster than scanning it here first).
    pub async fn accounts_page(
        &self,
        params: &ListAccountsParams,
        next: Option<&accounts::NextPage>,
        opts: &CallOptions,
        cancel: &CancellationToken,
    ) -> Result<Response> {
        self.accounts_page_with(params, next, opts, cancel, None)
            .await
    }

    /// Like [`Client::accounts_page`], handing the page's `accounts` to `sink` in runs while a
    /// large body streams in (the response body is then the page with the array emptied).
    pub async fn accounts_page_streamed(
        &self,
        params: &ListAccountsParams,
        next: Option<&accounts::NextPage>,
        opts: &CallOptions,
        cancel: &CancellationToken,
        sink: &dyn crate::send::transport::ListSink,
    ) -> Result<Response> {
        self.accounts_page_with(params, next, opts, cancel, Some(sink))
            .await
    }

    async fn accounts_page_with(
        &self,
        params: &ListAccountsParams,
        next: Option<&accounts::NextPage>,
        opts: &CallOptions,
        cancel: &CancellationToken,
        sink: Option<&dyn crate::send::transport::ListSink>,
    ) -> Result<Response> {
        params.validate()?;
        let started = Instant::now();
        let profile_id = self
            .profile_or_default(params.profile_id.as_deref(), opts, cancel)
            .await?;
        let first = accounts::first_request(&profile_id, params);
        let req = match next {
            Some(n) => accounts::next_request(&first, n),
            None => first,
        };
        let opts = opts.left_since(started)?;
        match sink {
            Some(sink) => {
                self.transport
                    .execute_streamed(&req, &opts, cancel, sink)
                    .await
            }
            None => self.transport.execute(&req, &opts, cancel).await,
        }
    }

    /// PUTs bytes to a presigned upload URL (no `Authorization` header), streaming files from
    /// disk, with progress, retries and an inactivity timeout.
    pub async fn upload(
        &self,
        up: &Upload,
        opts: &CallOptions,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
        cancel: &CancellationToken,
    ) -> Result<UploadOutcome> {
        upload::run(
            self.transport.http(),
            self.config(),
            up,
            opts,
            progress,
            cancel,
        )
        .await
    }
}
