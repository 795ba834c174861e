//! What each subcommand does.

use crate::app::{AppState, Config};
use crate::cli::{Cli, Command, TokenCommand, UserCommand};
use crate::error::Fatal;
use crate::users::{self, Requester, UserInput};
use ocop_store::Store;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;

pub async fn run(cli: Cli) -> Result<(), Fatal> {
    // Pure reference data and arithmetic: no configuration, no database.
    if let Command::Criteria(command) = &cli.command {
        return crate::evaluation::cli::run(command);
    }
    let listen = match &cli.command {
        Command::Serve { listen } | Command::Demo { listen } => Some(*listen),
        _ => None,
    };
    let config = Config::from_options(&cli.global, listen)?;
    match cli.command {
        Command::Serve { listen } => serve(config, listen, false).await,
        Command::Demo { listen } => serve(config, listen, true).await,
        Command::Migrate => {
            let store = open_store(&config).await?;
            println!(
                "database {} is up to date ({} localities)",
                config.database_url.redacted(),
                store.count_localities().await?
            );
            Ok(())
        }
        Command::User(UserCommand::Add {
            email,
            name,
            role,
            locality,
            organization,
            password_stdin: _,
        }) => {
            let password = read_password_stdin()?;
            let store = open_store(&config).await?;
            let input = UserInput {
                email,
                name,
                role,
                locality,
                organization_id: organization,
            };
            let user = users::create(&*store, Requester::Operator, input, &password).await?;
            println!(
                "created user {} ({}, {}) with id {}",
                user.email, user.name, user.role, user.id
            );
            Ok(())
        }
        Command::Stamps(command) => crate::stamps::cli::run(&config, command).await,
        Command::Criteria(_) => unreachable!("answered before the configuration is read"),
        Command::Keys(crate::cli::KeysCommand::Rotate) => {
            let kid =
                crate::keyfile::rotate(&config.key_file).map_err(|e| Fatal::new(e.to_string()))?;
            println!(
                "added key {kid} to {}: new batches use it once the servers restart; back the file up",
                config.key_file.display()
            );
            Ok(())
        }
        Command::BenchData {
            products,
            organizations,
        } => {
            let store = open_store(&config).await?;
            crate::bench_data::fill(&*store, organizations, products).await
        }
        Command::Token(TokenCommand::Create { email, name }) => {
            let store = open_store(&config).await?;
            let token = create_token(&*store, &email, &name).await?;
            // The token alone on stdout, so scripts can capture it.
            println!("{token}");
            Ok(())
        }
    }
}

/// Opens the database, migrates it and makes sure the localities are loaded.
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>, Fatal> {
    let store = ocop_store::connect(&config.database_url).await?;
    let added = store
        .seed_localities(&ocop_domain::locality::national_localities())
        .await?;
    if added > 0 {
        tracing::info!(added, "localities loaded");
    }
    Ok(store)
}

fn read_password_stdin() -> Result<String, Fatal> {
    let mut text = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut text)
        .map_err(|e| Fatal::new(format!("cannot read the password from standard input: {e}")))?;
    let password = text.lines().next().unwrap_or("").to_string();
    if password.is_empty() {
        return Err(Fatal::new("no password on standard input: pipe it in, e.g. `echo \"$PASS\" | ocop user add … --password-stdin`"));
    }
    Ok(password)
}

pub async fn create_token(store: &dyn Store, email: &str, name: &str) -> Result<String, Fatal> {
    let email: ocop_domain::Email = email
        .parse()
        .map_err(|e: ocop_domain::user::InvalidInput| Fatal::new(e.to_string()))?;
    let (user, _) = store
        .user_credentials(email.as_str())
        .await?
        .ok_or_else(|| {
            Fatal::new(format!(
                "no user with e-mail {email}: create one with `ocop user add`"
            ))
        })?;
    if user.disabled {
        return Err(Fatal::new(format!(
            "user {email} is disabled: enable it before creating a token"
        )));
    }
    let token = crate::auth::secrets::new_token("ocop_");
    let audit = Requester::Operator.audit(
        "api_token_created",
        user.province_code
            .as_deref()
            .and_then(|p| p.parse().ok())
            .as_ref(),
        serde_json::json!({"email": user.email, "name": name}),
    );
    store
        .create_api_token(
            user.id,
            name,
            &crate::auth::secrets::token_hash(&token),
            &audit,
        )
        .await?;
    Ok(token)
}

async fn serve(config: Config, listen: SocketAddr, demo: bool) -> Result<(), Fatal> {
    let (keys, created) =
        crate::keyfile::load_or_create(&config.key_file).map_err(|e| Fatal::new(e.to_string()))?;
    if created {
        tracing::info!(path = %config.key_file.display(), "created a new stamp key file (mode 0600): back it up");
    }
    let store = open_store(&config).await?;
    let demo_logins = if demo {
        crate::demo::load(&*store, keys.current().kid).await?
    } else {
        None
    };
    let state = AppState::new(store, config, &keys);
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| Fatal::new(format!("cannot listen on {listen}: {e} (is another server running? choose another with --listen)")))?;
    let address = listener
        .local_addr()
        .map_err(|e| Fatal::new(e.to_string()))?;
    println!(
        "ocop is running at http://{address}/ (public URL {})",
        state.config.public_base()
    );
    if demo {
        crate::demo::print_sign_ins(demo_logins.as_deref());
    }
    serve_on(listener, state).await
}

/// Serves until Ctrl-C or SIGTERM, finishing requests in flight.
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> Result<(), Fatal> {
    tokio::spawn(purge_expired_sessions(state.store.clone()));
    let app = crate::routes::router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| Fatal::new(format!("server stopped: {e}")))
}

/// Expired sessions are refused on sight; this only keeps the table from growing.
async fn purge_expired_sessions(store: Arc<dyn Store>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        match store.purge_sessions(chrono::Utc::now()).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not purge expired sessions"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
