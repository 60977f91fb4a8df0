"""The ``rpa`` command line (typer). Each command delegates to the module that owns it."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Robô de abertura de O.S. (Workfinity + Zendesk)")
fakesite_app = typer.Typer(add_completion=False, no_args_is_help=True, help="Sites falsos de Workfinity e Zendesk")
app.add_typer(fakesite_app, name="fakesite")
replay_app = typer.Typer(add_completion=False, no_args_is_help=True,
                         help="QA: repete fluxos gravados com o código atual e mostra as diferenças")
app.add_typer(replay_app, name="replay")


@fakesite_app.command("serve")
def fakesite_serve(
    data: Path | None = typer.Option(None, "--data", help="Arquivo JSON de dados iniciais"),
    workfinity_port: int = typer.Option(8081, "--workfinity-port"),
    zendesk_port: int = typer.Option(8082, "--zendesk-port"),
    host: str = typer.Option("127.0.0.1", "--host"),
    latency_ms: int = typer.Option(0, "--latency-ms"),
    jitter_ms: int | None = typer.Option(None, "--jitter-ms"),
    fail_rate: float = typer.Option(0.0, "--fail-rate"),
    modal_rate: float = typer.Option(0.0, "--modal-rate"),
    session_ttl: float | None = typer.Option(None, "--session-ttl", help="segundos"),
    rate_limit_per_minute: int = typer.Option(0, "--rate-limit-per-minute"),
    seed: int | None = typer.Option(None, "--seed"),
    variant: int = typer.Option(0, "--variant", min=0, help="Variante da marcação (0 = padrão)"),
    client_delay_ms: int = typer.Option(0, "--client-delay-ms", min=0,
                                        help="Cliente lento: somado a cada espera e resposta AJAX das páginas"),
) -> None:
    """Serve os dois sites falsos até ser interrompido."""
    from fakesite.core import Faults
    from fakesite.server import FakeSites

    # model_validate: without the pydantic mypy plugin, ``Field(0, ge=0)`` reads as required.
    faults = Faults.model_validate(dict(
        latency_ms=latency_ms, jitter_ms=jitter_ms, fail_rate=fail_rate, modal_rate=modal_rate,
        session_ttl=session_ttl, rate_limit_per_minute=rate_limit_per_minute, seed=seed, variant=variant,
        client_delay_ms=client_delay_ms))
    sites = FakeSites(data, faults, host=host, workfinity_port=workfinity_port, zendesk_port=zendesk_port).start()
    creds = sites.world.credentials()
    typer.echo(f"Workfinity: {sites.workfinity_url}  usuário: {creds['workfinity']['user']}  "
               f"senha: {creds['workfinity']['password']}")
    typer.echo(f"Zendesk:    {sites.zendesk_url}  e-mail: {creds['zendesk']['email']}  "
               f"senha: {creds['zendesk']['password']}")
    typer.echo("Controle:   /_fake/state  /_fake/reset  /_fake/faults   (Ctrl-C para parar)", )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    sites.stop()


@app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="Planilha (.xlsx, .csv, .xls)"),
    json_out: bool = typer.Option(False, "--json", help="Imprime um array JSON"),
    sheet: str | None = typer.Option(None, "--sheet", help="Aba da planilha (padrão: a primeira)"),
) -> None:
    """Lê e valida a planilha sem navegador e sem sites."""
    from rpa.cli.validate import validate_command

    raise typer.Exit(validate_command(file, json_out=json_out, sheet=sheet))


@app.command("run")
def run(
    files: list[Path] = typer.Argument(..., help="Planilhas a processar"),
    workers: int | None = typer.Option(None, "--workers", min=1),
    output: Path | None = typer.Option(None, "--output", help="Grava os resultados numa cópia"),
    headed: bool = typer.Option(False, "--headed", help="Mostra o navegador"),
    record: str | None = typer.Option(None, "--record", help="on-failure|always|off"),
    until: str | None = typer.Option(None, "--until", help="HH:MM: nenhuma solicitação nova após"),
    sheet: str | None = typer.Option(None, "--sheet"),
    har: bool = typer.Option(False, "--har", help="Grava também o tráfego de rede de cada solicitação (sem senhas "
                             "nem cookies), para rpa replay run --offline"),
    doctor_first: bool = typer.Option(False, "--doctor", help="Roda o diagnóstico antes; não começa se algo mudou"),
) -> None:
    """Processa as planilhas contra os sites configurados."""
    from rpa.cli.run import run_command

    raise typer.Exit(run_command(files, workers=workers, output=output, headed=headed, record=record,
                                 until=until, sheet=sheet, har=har, doctor_first=doctor_first))


@app.command("doctor")
def doctor(
    json_out: bool = typer.Option(False, "--json", help="Imprime um array JSON"),
    fake: bool = typer.Option(False, "--fake", help="Verifica os sites falsos embutidos"),
    customer: str | None = typer.Option(None, "--cliente", help="CNPJ para o autocompletar (padrão: da lista)"),
    serial: str | None = typer.Option(None, "--serie", help="Número de série para a busca de equipamento"),
) -> None:
    """Verifica, sem gravar nada, se cada gancho das telas está onde o robô espera."""
    from rpa.cli.doctor import doctor_command

    raise typer.Exit(doctor_command(json_out=json_out, fake=fake, customer=customer, serial=serial))


@replay_app.command("run")
def replay_run(
    target: Path = typer.Argument(..., help="Arquivo de fluxo (flows/<solicitação>.json) ou pasta da execução "
                                  "(recordings/<execução>)"),
    against: str = typer.Option("fake", "--against", help="fake (sites falsos novos) | config (sites da configuração)"),
    data: Path | None = typer.Option(None, "--data", help="JSON de dados iniciais do site falso"),
    offline: Path | None = typer.Option(None, "--offline", help="HAR, ou pasta da execução gravada com rpa run "
                                           "--har: nenhum site é usado"),
    clock: str = typer.Option("recorded", "--clock", help="recorded (data da gravação) | now"),
    json_out: bool = typer.Option(False, "--json", help="Imprime o resultado em JSON"),
) -> None:
    """Repete os fluxos gravados e compara campo a campo; código 1 se algo mudou."""
    from rpa.cli.replay import replay_command

    raise typer.Exit(replay_command(target, against=against, data=data, offline=offline, clock=clock,
                                    json_out=json_out))


@replay_app.command("show")
def replay_show(trace: Path = typer.Argument(..., help="trace-<n>.zip, ou a pasta da solicitação")) -> None:
    """Abre um trace gravado no visualizador do Playwright (offline) e imprime o endereço."""
    from rpa.cli.replay import show_command

    raise typer.Exit(show_command(trace))


@app.command("limpar")
def limpar(
    antes: str | None = typer.Option(None, "--antes", help="AAAA-MM-DD: apaga o que foi gravado antes deste dia "
                                     "(padrão: o que passou de RPA_RETENTION_DAYS)"),
) -> None:
    """Apaga os dados pessoais guardados pelo robô (diários, logs, gravações, e-mails) — LGPD."""
    from rpa.cli.limpar import limpar_command

    raise typer.Exit(limpar_command(antes))


@app.command("relatorio")
def relatorio(
    run_dir: Path | None = typer.Argument(None, help="Pasta da execução (recordings/<execução>); sem ela, a última"),
    latest: bool = typer.Option(False, "--ultimo", help="A execução mais recente"),
    port: int = typer.Option(0, "--porta", min=0, help="Porta local (0: uma livre)"),
) -> None:
    """Serve o relatório de uma execução e o visualizador de traces em 127.0.0.1 (Ctrl-C encerra)."""
    from rpa.cli.relatorio import relatorio_command

    raise typer.Exit(relatorio_command(run_dir, latest=latest, port=port))


@app.command("historico")
def historico(
    days: int = typer.Option(30, "--dias", min=1, help="Quantas noites para trás"),
    out_dir: Path = typer.Option(Path("."), "--saida", help="Pasta onde gravar historico.html e historico.xlsx"),
) -> None:
    """Histórico das execuções (por noite): grava historico.html (gráficos) e historico.xlsx."""
    from rpa.cli.historico import historico_command

    raise typer.Exit(historico_command(days=days, out_dir=out_dir))


@app.command("enqueue")
def enqueue(
    files: list[Path] = typer.Argument(..., help="Planilhas a enfileirar"),
    sheet: str | None = typer.Option(None, "--sheet"),
) -> None:
    """Várias máquinas: valida, grava o que não precisa dos sites e põe o resto na fila (RPA_DATABASE_URL)."""
    from rpa.cli.enqueue import enqueue_command

    raise typer.Exit(enqueue_command(files, sheet=sheet))


@app.command("worker")
def worker(
    workers: int | None = typer.Option(None, "--workers", min=1),
    until: str | None = typer.Option(None, "--until", help="HH:MM: nenhuma solicitação nova após"),
    exit_when_idle: bool = typer.Option(False, "--exit-when-idle", help="Sai quando não houver mais nada na fila"),
) -> None:
    """Várias máquinas: processa solicitações da fila compartilhada até ser interrompido."""
    from rpa.cli.worker import worker_command

    raise typer.Exit(worker_command(workers=workers, until=until, exit_when_idle=exit_when_idle))


@app.command("collect")
def collect(
    files: list[Path] = typer.Argument(..., help="Planilhas enfileiradas nesta máquina"),
    sheet: str | None = typer.Option(None, "--sheet"),
) -> None:
    """Várias máquinas: grava os resultados na planilha à medida que chegam; sai quando todas terminarem."""
    from rpa.cli.collect import collect_command

    raise typer.Exit(collect_command(files, sheet=sheet))


@app.command("status")
def status() -> None:
    """Várias máquinas: por planilha, quantas solicitações esperam, rodam (onde) e terminaram."""
    from rpa.cli.status import status_command

    raise typer.Exit(status_command())


@app.command("demo")
def demo(
    workers: int = typer.Option(2, "--workers", min=1),
    workdir: Path = typer.Option(Path("demo-output"), "--workdir",
                                 help="Onde ficam planilha, caixa de saída, relatório"),
) -> None:
    """Sobe os sites falsos, processa a planilha de exemplo de input/ e mostra o resultado."""
    from rpa.cli.demo import demo_command

    raise typer.Exit(demo_command(workers=workers, workdir=workdir))


if __name__ == "__main__":  # pragma: no cover
    app()
