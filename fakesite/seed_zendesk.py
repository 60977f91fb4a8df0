"""Built-in seed of the fake Zendesk: agents, requesters, brands, forms, fields and tickets.

The format is the contract's (``shared/spec/ui-contract.md``, "Data formats"). Agents'
passwords are left empty: ``fakesite.seed.load_seed`` generates them per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ROBOT = "robo@bematech.com.br"

AGENTS = [
    {"email": ROBOT, "password": "", "name": "Robô"},
    {"email": "ana.carvalho@bematech.com.br", "password": "", "name": "Ana Carvalho"},
    {"email": "marcos.teixeira@bematech.com.br", "password": "", "name": "Marcos Teixeira"},
]

# (name, e-mail domain): the e-mail is derived from the name, as Brazilian companies do.
_REQUESTERS = [
    ("Maria Aparecida Souza", "sodexo.com"),
    ("João Pedro Oliveira", "sodexo.com"),
    ("Fernanda Lima Rocha", "nextel.com.br"),
    ("Carlos Eduardo Santos", "nextel.com.br"),
    ("Juliana Ferreira Alves", "viacaocometa.com.br"),
    ("Ricardo Gomes Pereira", "viacaoitapemirim.com.br"),
    ("Patrícia Ribeiro Martins", "supermercadosbh.com.br"),
    ("Rafael Costa Almeida", "drogariaaraujo.com.br"),
    ("Camila Nascimento Dias", "lojasrenner.com.br"),
    ("Bruno Henrique Barbosa", "padariaestrela.com.br"),
    ("Aline Cristina Moreira", "restaurantesabor.com.br"),
    ("Thiago Araújo Cardoso", "postoipiranga-sul.com.br"),
    ("Larissa Mendes Correia", "farmaciapopular-rj.com.br"),
    ("Gustavo Rodrigues Pinto", "atacadaonorte.com.br"),
    ("Beatriz Campos Nogueira", "hortifrutivida.com.br"),
    ("Felipe Augusto Cunha", "mercadinhosaojose.com.br"),
    ("Vanessa Lopes Freitas", "livrariacultura.com.br"),
    ("André Luiz Monteiro", "autopecasguarani.com.br"),
    ("Renata Vieira Castro", "boticafarma.com.br"),
    ("Leonardo Batista Ramos", "churrascariagaucha.com.br"),
    ("Daniela Moura Fernandes", "sorveteriapolar.com.br"),
    ("Rodrigo Machado Lima", "materiaisconstrular.com.br"),
    ("Tatiane Cavalcanti Reis", "pizzariabellanapoli.com.br"),
    ("Marcelo Duarte Azevedo", "distribuidorarioverde.com.br"),
    ("Gabriela Pires Rezende", "cafeteriagrao.com.br"),
    ("Eduardo Sampaio Brito", "petshopamigo.com.br"),
    ("Luciana Tavares Melo", "oticavisao.com.br"),
    ("Paulo Sérgio Farias", "acougueboi.com.br"),
    ("Cristiane Barros Xavier", "lanchoneteesquina.com.br"),
    ("Diego Fonseca Queiroz", "conveniencia24h.com.br"),
    ("Simone Assis Medeiros", "papelariaescolar.com.br"),
    ("Vinícius Prado Siqueira", "hotelbeiramar.com.br"),
]

_PLAIN = str.maketrans("áàâãéêíóôõúüçÁÀÂÃÉÊÍÓÔÕÚÜÇ", "aaaaeeiooouucAAAAEEIOOOUUC")


def _email(name: str, domain: str) -> str:
    first, *_, last = name.lower().translate(_PLAIN).split()
    return f"{first}.{last}@{domain}"


USERS = [{"name": name, "email": _email(name, domain)} for name, domain in _REQUESTERS]

BRANDS = ["Bematech Hardware", "Bematech Software", "Bematech Varejo"]
FORMS = ["Padrão", "0800", "Comercial"]

FIELDS: dict[str, dict[str, Any]] = {
    "1001": {"title": "Família", "options": ["hardware", "software"]},
    "1002": {"title": "Categoria",
             "options": ["Ordem de Serviço", "Cadastro", "Dúvida técnica", "Garantia", "Reclamação"]},
    "1003": {"title": "Motivo",
             "options": ["Abertura de O.S.", "Alteração cadastral", "Consulta de O.S.",
                         "Orçamento", "Cancelamento de O.S."]},
    "1004": {"title": "Número da Ordem de Serviço ou de série", "type": "text"},
    "1005": {"title": "Área responsável (0800)", "options": ["Suporte", "Comercial"]},
}

FIRST_TICKET_ID = 41001


def _tickets() -> list[dict[str, Any]]:
    u = [user["email"] for user in USERS]
    ana, marcos = AGENTS[1]["email"], AGENTS[2]["email"]

    def ticket(n: int, subject: str, requester: str, status: str, history: list[str], *,
               form: str = "0800", type_: str = "Incidente", priority: str = "Normal",
               custom: dict[str, str] | None = None, comments: Sequence[tuple[bool, str, str]] = (),
               assignee: str = "", created: str = "2026-11-20T09:00:00") -> dict[str, Any]:
        return {
            "id": FIRST_TICKET_ID + n, "subject": subject, "requester": requester, "status": status,
            "brand": "Bematech Hardware", "form": form, "type": type_, "priority": priority,
            "custom_fields": dict(custom or {}),
            "comments": [{"public": public, "body": body, "author": author}
                         for public, body, author in comments],
            "status_history": history, "assignee": assignee,
            "created_at": created, "updated_at": created,
        }

    return [
        ticket(0, "Impressora MP-4200 TH não imprime", u[0], "new", ["new"], priority="",
               comments=[(True, "Bom dia, a impressora fiscal do caixa 3 parou de imprimir. "
                                "Número de série BE4200TH000123.", u[0])]),
        ticket(1, "ECF inoperante na loja Centro", u[2], "open", ["new", "open"],
               custom={"1001": "hardware", "1002": "Ordem de Serviço", "1003": "Abertura de O.S."},
               comments=[(True, "O ECF do PDV 2 está inoperante desde ontem.", u[2]),
                         (False, "CNPJ 11.222.333/0001-81 – NEXTEL TELECOMUNICAÇÕES LTDA. "
                                 "Aguardando número de série.", ROBOT)],
               assignee=ana, created="2026-11-21T10:15:00"),
        ticket(2, "LED piscando no terminal de autoatendimento", u[4], "hold", ["new", "open", "hold"],
               custom={"1001": "hardware", "1002": "Ordem de Serviço", "1003": "Abertura de O.S.",
                       "1004": "2026000123"},
               comments=[(True, "O LED de status está piscando em vermelho.", u[4]),
                         (False, "CNPJ 12.345.678/0001-95 – VIAÇÃO COMETA S.A. O.S. 2026000123 aberta.",
                          ROBOT),
                         (True, "Sua O.S. 2026000123 foi aberta. Atenciosamente, Bematech.", ROBOT)],
               assignee=ana, created="2026-11-22T08:40:00"),
        ticket(3, "Dúvida sobre atualização do software de PDV", u[7], "pending", ["new", "open", "pending"],
               form="Padrão", type_="Pergunta", priority="Baixa",
               comments=[(True, "Como atualizo o software do PDV para a versão nova?", u[7]),
                         (True, "Enviamos o passo a passo por e-mail. Conseguiu aplicar?", marcos)],
               assignee=marcos, created="2026-11-23T14:05:00"),
        ticket(4, "Troca de endereço de entrega", u[9], "solved", ["new", "open", "solved"],
               custom={"1001": "hardware", "1002": "Cadastro", "1003": "Alteração cadastral",
                       "1005": "Suporte"},
               comments=[(True, "Mudamos de endereço, favor atualizar o cadastro.", u[9]),
                         (False, "Cadastro atualizado pelo departamento.", marcos)],
               assignee=marcos, created="2026-11-18T11:30:00"),
        ticket(5, "Gaveta de dinheiro travada", u[12], "closed", ["new", "open", "solved", "closed"],
               priority="Alta", custom={"1001": "hardware", "1002": "Ordem de Serviço"},
               comments=[(True, "A gaveta do caixa não abre.", u[12])],
               assignee=ana, created="2026-11-10T16:20:00"),
        ticket(6, "Leitor de código de barras sem leitura", u[15], "open", ["new", "open"],
               type_="Problema", priority="Urgente",
               comments=[(True, "O leitor parou de ler etiquetas depois da queda de energia.", u[15])],
               created="2026-11-24T09:50:00"),
    ]


def build() -> dict[str, Any]:
    """The ``zendesk`` part of the default seed (a fresh copy each call)."""
    return {
        "agents": [dict(agent) for agent in AGENTS],
        "users": [dict(user) for user in USERS],
        "brands": list(BRANDS),
        "forms": list(FORMS),
        "fields": {key: {**value, **({"options": list(value["options"])} if "options" in value else {})}
                   for key, value in FIELDS.items()},
        "tickets": _tickets(),
    }
