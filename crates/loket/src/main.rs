use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = loket::cli::Cli::parse();
    match loket::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("loket: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
