"""Built-in seed of the fake Workfinity: customers, equipment, catalogue, providers, CEPs, O.S.

Everything here is fictitious but realistic and fixed (no randomness): CNPJ check digits are
computed with python-stdnum (``stdnum.br.cnpj``) from the 12-character bodies below, and warranty dates are
fixed so that "in warranty" is stable relative to the reference day 2026-11-28.

``build()`` returns the ``workfinity`` part of the seed in the contract's data format.
"""

from __future__ import annotations

import copy
from typing import Any

from stdnum.br import cnpj

from fakesite.workfinity.store import ADDRESS_FIELDS

# (body of 12, razão social, nome fantasia, contato, e-mail, telefone,
#  (cep, logradouro, número, complemento, bairro, cidade, uf))
_CUSTOMERS: list[tuple[str, str, str, str, str, str, tuple[str, ...]]] = [
    # The three clients whose address changes are authorized (procedure R7).
    ("123456780001", "SODEXO DO BRASIL COMERCIAL S.A.", "Sodexo", "Maria Aparecida Souza",
     "maria.souza@sodexo-exemplo.com.br", "(11) 3333-4444",
     ("01310-100", "Avenida Paulista", "1000", "10º andar", "Bela Vista", "São Paulo", "SP")),
    ("123456780002", "SODEXO DO BRASIL COMERCIAL S.A.", "Sodexo Rio", "Renata Guimarães",
     "renata.guimaraes@sodexo-exemplo.com.br", "(21) 2233-4455",
     ("20040-002", "Avenida Rio Branco", "156", "Sala 2101", "Centro", "Rio de Janeiro", "RJ")),
    ("334455660001", "NEXTEL TELECOMUNICAÇÕES LTDA", "Nextel", "Carlos Eduardo Martins",
     "carlos.martins@nextel-exemplo.com.br", "(11) 4004-6611",
     ("04794-000", "Avenida das Nações Unidas", "14171", "Torre B", "Vila Gertrudes", "São Paulo", "SP")),
    ("445566770001", "VIAÇÃO SERRA AZUL TRANSPORTES LTDA", "Serra Azul", "Jorge Henrique Prado",
     "jorge.prado@viacaoserraazul.com.br", "(31) 3427-8800",
     ("31170-800", "Avenida Cristiano Machado", "2500", "Garagem 1", "Cidade Nova", "Belo Horizonte", "MG")),
    ("445566770002", "VIAÇÃO SERRA AZUL TRANSPORTES LTDA", "Serra Azul Uberlândia", "Sandra Regina Lopes",
     "sandra.lopes@viacaoserraazul.com.br", "(34) 3212-4400",
     ("38400-104", "Avenida Afonso Pena", "1420", "", "Centro", "Uberlândia", "MG")),
    # Other clients: any address change goes to the registration department (R8).
    ("112223330001", "SUPERMERCADOS BOA COMPRA LTDA", "Boa Compra", "Antônio Carlos Ferreira",
     "compras@boacompra-exemplo.com.br", "(19) 3232-1020",
     ("13010-111", "Avenida Francisco Glicério", "1230", "", "Centro", "Campinas", "SP")),
    ("567890120001", "DROGARIA SAÚDE TOTAL LTDA", "Drogaria Saúde Total", "Luciana Pacheco",
     "luciana@saudetotal-exemplo.com.br", "(13) 3289-5566",
     ("11060-002", "Avenida Ana Costa", "482", "Loja 3", "Gonzaga", "Santos", "SP")),
    ("234567890001", "LANCHONETE PONTO CERTO LTDA - ME", "Ponto Certo", "Francisco das Chagas",
     "pontocerto@exemplo.com.br", "(11) 3151-2233",
     ("01305-000", "Rua Augusta", "915", "", "Consolação", "São Paulo", "SP")),
    ("345678900001", "PIZZARIA BELLA NAPOLI LTDA", "Bella Napoli", "Giuseppe Romano",
     "contato@bellanapoli-exemplo.com.br", "(11) 2601-7788",
     ("03104-000", "Rua da Mooca", "2120", "", "Mooca", "São Paulo", "SP")),
    ("456789010001", "EMPÓRIO SÃO JORGE COMÉRCIO LTDA", "Empório São Jorge", "Jorge Luiz Batista",
     "emporio@saojorge-exemplo.com.br", "(21) 2547-3311",
     ("22020-001", "Avenida Nossa Senhora de Copacabana", "680", "Loja A", "Copacabana", "Rio de Janeiro", "RJ")),
    ("678901230001", "PADARIA PÃO DOURADO LTDA - ME", "Pão Dourado", "Rosângela Teixeira",
     "paodourado@exemplo.com.br", "(21) 2719-4040",
     ("24020-080", "Rua da Conceição", "95", "", "Centro", "Niterói", "RJ")),
    ("789012340001", "RESTAURANTE SABOR MINEIRO LTDA", "Sabor Mineiro", "Geraldo Magela Silva",
     "sabormineiro@exemplo.com.br", "(31) 3224-9090",
     ("30130-005", "Avenida Afonso Pena", "867", "", "Centro", "Belo Horizonte", "MG")),
    ("890123450001", "DROGARIA CENTRAL DE MINAS LTDA", "Drogaria Central", "Vânia Cristina Rezende",
     "vania@drogariacentral-exemplo.com.br", "(34) 3236-1122",
     ("38400-128", "Avenida João Pinheiro", "310", "", "Centro", "Uberlândia", "MG")),
    ("901234560001", "SUPERMERCADO BOM PREÇO DO SUL LTDA", "Bom Preço", "Ernesto Vogel",
     "financeiro@bomprecosul-exemplo.com.br", "(51) 3221-6070",
     ("90020-007", "Rua dos Andradas", "1444", "", "Centro Histórico", "Porto Alegre", "RS")),
    ("135792460001", "CHURRASCARIA CAMPEIRA LTDA", "Campeira", "Valdir Zanella",
     "campeira@exemplo.com.br", "(54) 3221-3344",
     ("95020-000", "Rua Sinimbu", "1800", "", "Centro", "Caxias do Sul", "RS")),
    ("246813570001", "SUPERMERCADOS RIO GRANDE LTDA", "Rio Grande", "Neusa Machado",
     "neusa@superriogrande-exemplo.com.br", "(53) 3225-7788",
     ("96020-080", "Rua Andrade Neves", "1560", "", "Centro", "Pelotas", "RS")),
    ("357913570001", "FARMÁCIA POPULAR DO PARANÁ LTDA", "Farmácia Popular PR", "Marcos Wisniewski",
     "marcos@farmapopularpr-exemplo.com.br", "(41) 3223-5050",
     ("80020-000", "Rua XV de Novembro", "700", "", "Centro", "Curitiba", "PR")),
    ("468024680001", "CAFETERIA GRÃO NOBRE LTDA", "Grão Nobre", "Helena Yamamoto",
     "helena@graonobre-exemplo.com.br", "(43) 3324-6060",
     ("86020-080", "Avenida Higienópolis", "210", "Sala 4", "Centro", "Londrina", "PR")),
    ("579135790001", "ATACADÃO NORDESTE COMÉRCIO DE ALIMENTOS LTDA", "Atacadão Nordeste", "Edson Conceição",
     "edson@atacadaonordeste-exemplo.com.br", "(71) 3321-8000",
     ("40060-001", "Avenida Sete de Setembro", "1200", "", "Centro", "Salvador", "BA")),
    ("680246800001", "RESTAURANTE TEMPERO BAIANO LTDA", "Tempero Baiano", "Iracema dos Santos",
     "temperobaiano@exemplo.com.br", "(71) 3322-1515",
     ("40026-230", "Rua das Laranjeiras", "42", "", "Pelourinho", "Salvador", "BA")),
    ("791357910001", "MERCADINHO FAMÍLIA FELIZ LTDA - ME", "Família Feliz", "Josué Ribeiro",
     "familiafeliz@exemplo.com.br", "(75) 3221-4747",
     ("44025-010", "Avenida Getúlio Vargas", "3010", "", "Centro", "Feira de Santana", "BA")),
    ("802468020001", "LOJAS BRISA MAR LTDA", "Brisa Mar", "Cláudia Albuquerque",
     "claudia@lojasbrisamar-exemplo.com.br", "(81) 3325-2020",
     ("51011-000", "Avenida Boa Viagem", "3500", "Loja 12", "Boa Viagem", "Recife", "PE")),
    ("913579130001", "PAPELARIA E LIVRARIA ALFA LTDA", "Livraria Alfa", "Severino Cavalcanti",
     "alfa@livrariaalfa-exemplo.com.br", "(81) 3429-1100",
     ("53030-010", "Avenida Getúlio Vargas", "1150", "", "Bairro Novo", "Olinda", "PE")),
    ("147258360001", "RESTAURANTE MARÉ ALTA LTDA", "Maré Alta", "Raimunda Nonata Sousa",
     "marealta@exemplo.com.br", "(85) 3242-3030",
     ("60165-121", "Avenida Beira Mar", "2980", "", "Meireles", "Fortaleza", "CE")),
    ("258369140001", "FARMÁCIA DO TRABALHADOR LTDA", "Farmácia do Trabalhador", "Cícero Romão Alves",
     "cicero@farmatrabalhador-exemplo.com.br", "(88) 3511-2424",
     ("63010-010", "Rua São Pedro", "505", "", "Centro", "Juazeiro do Norte", "CE")),
    ("369147250001", "POSTO ESTRELA DO CERRADO LTDA", "Posto Estrela", "Wander Luiz Borges",
     "postoestrela@exemplo.com.br", "(62) 3224-5151",
     ("74005-010", "Avenida Goiás", "1500", "", "Setor Central", "Goiânia", "GO")),
    ("481592630001", "CONVENIÊNCIA 24 HORAS LTDA", "Conveniência 24h", "Dayane Freitas",
     "dayane@conveniencia24-exemplo.com.br", "(62) 3311-2525",
     ("75020-030", "Rua Barão do Rio Branco", "620", "", "Centro", "Anápolis", "GO")),
    ("592603740001", "SUPERMERCADO PLANALTO CENTRAL LTDA", "Planalto Central", "Márcia Regina Lemos",
     "marcia@planaltocentral-exemplo.com.br", "(61) 3321-9898",
     ("70306-000", "SCS Quadra 6", "Bloco A", "Loja 40", "Asa Sul", "Brasília", "DF")),
    ("603714850001", "FARMÁCIA VIDA E SAÚDE LTDA", "Vida e Saúde", "Tânia Hoffmann",
     "tania@vidaesaude-exemplo.com.br", "(48) 3222-8181",
     ("88010-400", "Rua Felipe Schmidt", "390", "", "Centro", "Florianópolis", "SC")),
    ("714825960001", "HORTIFRUTI VERDE VALE LTDA", "Verde Vale", "Roberto Schulz",
     "roberto@verdevale-exemplo.com.br", "(47) 3433-6262",
     ("89201-001", "Rua do Príncipe", "480", "", "Centro", "Joinville", "SC")),
    ("825936070001", "AÇOUGUE E FRIGORÍFICO BOI BOM LTDA", "Boi Bom", "Valdemar Arruda",
     "boibom@exemplo.com.br", "(65) 3624-7070",
     ("78005-370", "Avenida Getúlio Vargas", "770", "", "Centro Norte", "Cuiabá", "MT")),
    # Alphanumeric CNPJs (IN RFB 2.229/2024); the first is the official example.
    ("12ABC34501DE", "LOJA DE CONVENIÊNCIA RÁPIDO LTDA", "Rápido", "Priscila Kaminski",
     "priscila@rapido-exemplo.com.br", "(41) 3027-4343",
     ("80010-010", "Rua Marechal Deodoro", "235", "", "Centro", "Curitiba", "PR")),
    ("A1B2C3D40001", "RESTAURANTE AMAZÔNIA LTDA", "Amazônia", "Raimundo Nonato Brito",
     "amazonia@exemplo.com.br", "(92) 3622-1919",
     ("69005-070", "Avenida Eduardo Ribeiro", "620", "", "Centro", "Manaus", "AM")),
    ("9ZXYW1230001", "SORVETERIA GELATO FINO LTDA", "Gelato Fino", "Bianca Lorenzoni",
     "bianca@gelatofino-exemplo.com.br", "(27) 3223-4646",
     ("29010-002", "Avenida Jerônimo Monteiro", "1000", "Loja 5", "Centro", "Vitória", "ES")),
]

# CEPs not used by any customer, so an address change can be looked up (several UFs).
_EXTRA_CEPS: dict[str, tuple[str, str, str, str]] = {
    "04543-011": ("Avenida Brigadeiro Faria Lima", "Itaim Bibi", "São Paulo", "SP"),
    "06454-000": ("Alameda Rio Negro", "Alphaville Industrial", "Barueri", "SP"),
    "09010-160": ("Rua Senador Fláquer", "Centro", "Santo André", "SP"),
    "13560-001": ("Avenida São Carlos", "Centro", "São Carlos", "SP"),
    "22250-040": ("Praia de Botafogo", "Botafogo", "Rio de Janeiro", "RJ"),
    "22640-102": ("Avenida das Américas", "Barra da Tijuca", "Rio de Janeiro", "RJ"),
    "30160-011": ("Rua da Bahia", "Centro", "Belo Horizonte", "MG"),
    "32310-000": ("Avenida João César de Oliveira", "Eldorado", "Contagem", "MG"),
    "80250-000": ("Avenida Sete de Setembro", "Rebouças", "Curitiba", "PR"),
    "90480-003": ("Avenida Carlos Gomes", "Auxiliadora", "Porto Alegre", "RS"),
    "41820-021": ("Avenida Tancredo Neves", "Caminho das Árvores", "Salvador", "BA"),
    "51021-020": ("Avenida Conselheiro Aguiar", "Boa Viagem", "Recife", "PE"),
    "88015-700": ("Avenida Jornalista Rubens de Arruda Ramos", "Centro", "Florianópolis", "SC"),
    "60160-230": ("Rua Tibúrcio Cavalcante", "Meireles", "Fortaleza", "CE"),
}

# model -> serial prefix (8 characters; serials are prefix + 6 digits).
_MODELS: list[tuple[str, str]] = [
    ("MP-4200 TH", "BE4200TH"),
    ("MP-2800 TH", "BE2800TH"),
    ("MP-4000 TH FI", "BE4000FI"),
    ("MP-100S TH", "BE100STH"),
    ("Logic Controls LS-8000", "LCLS8000"),
    ("Logic Controls KB-1700", "LCKB1700"),
    ("RC-8400 POS", "BERC8400"),
]

# Fixed warranty ends, 2025-2028: five before 2026-11-28 and six after it.
_WARRANTY_ENDS = [
    "2027-03-31", "2025-08-15", "2028-05-31", "2026-04-30", "2027-12-15", "2025-02-28",
    "2026-12-31", "2026-09-30", "2028-10-31", "2025-12-31", "2027-06-30",
]

_CATALOG: dict[str, list[str]] = {
    "Manutenção on site": ["Corretiva", "Preventiva"],
    "Manutenção em laboratório": ["Reparo em bancada", "Troca de peças"],
    "Instalação": ["Instalação Venda", "Instalação Locação"],
    "Remoção": ["Remoção Definitiva", "Remoção para Manutenção"],
    "Treinamento": ["Treinamento Operacional"],
}

_PROVIDERS: list[dict[str, Any]] = [
    {"name": "Assistência Paulista", "ufs": ["SP"],
     "technicians": ["João Lima", "Carla Mendes", "Ricardo Alves"]},
    {"name": "Interior Tec Serviços", "ufs": ["SP"], "technicians": ["Paulo Henrique Rocha"]},
    {"name": "Rio Assistência Técnica", "ufs": ["RJ", "ES"],
     "technicians": ["Bruno Carvalho", "Fernanda Dias"]},
    {"name": "Minas Suporte em Automação", "ufs": ["MG"],
     "technicians": ["Luiz Otávio Pereira", "Ana Beatriz Costa"]},
    {"name": "Sul Tecnologia Comercial", "ufs": ["RS", "SC"],
     "technicians": ["Gustavo Becker", "Marina Schmitt"]},
    {"name": "Paraná Service", "ufs": ["PR"], "technicians": ["Rafael Kowalski", "Juliana Nogueira"]},
    {"name": "Nordeste Automação", "ufs": ["BA", "PE", "CE"],
     "technicians": ["Tiago Santana", "Patrícia Moura", "Edvaldo Nunes"]},
    {"name": "Centro-Oeste Técnica", "ufs": ["GO", "DF", "MT"],
     "technicians": ["Wellington Souza", "Larissa Campos"]},
    {"name": "Norte Assistência", "ufs": ["AM", "PA"], "technicians": ["Raimundo Farias"]},
]

# (number, customer index, equipment index of that customer, group, service, provider,
#  technician, pedido de venda, numero referencia, observacoes atendimento, notes, status, created_at)
_SERVICE_ORDERS = [
    ("2026000118", 5, 0, "Manutenção on site", "Corretiva", "Assistência Paulista", "Carla Mendes",
     "40987", "", "", "Impressora não liga", "Concluída", "2026-11-03T09:14:22"),
    ("2026000119", 3, 1, "Instalação", "Instalação Venda", "Minas Suporte em Automação",
     "Luiz Otávio Pereira", "40995", "", "", "Instalar impressora no guichê 4", "Em atendimento",
     "2026-11-10T14:02:51"),
    ("2026000120", 0, 1, "Manutenção on site", "Corretiva", "Assistência Paulista", "João Lima",
     "41001", "CH-88231", "", "ECF inoperante", "Nova", "2026-11-24T10:30:00"),
    ("2026000121", 21, 0, "Manutenção on site", "Preventiva", "Nordeste Automação", "Patrícia Moura",
     "41003", "", "", "Manutenção preventiva semestral", "Nova", "2026-11-25T16:45:10"),
    ("2026000122", 31, 0, "Manutenção on site", "Corretiva", "Paraná Service", "Rafael Kowalski",
     "41004", "", "Cortesia", "LED piscando", "Nova", "2026-11-26T08:05:37"),
    ("2026000123", 12, 0, "Remoção", "Remoção para Manutenção", "Minas Suporte em Automação",
     "Ana Beatriz Costa", "41005", "", "", "Cortador de papel travado", "Cancelada",
     "2026-11-27T11:20:44"),
]


def _customers() -> list[dict[str, Any]]:
    out = []
    for body, razao, fantasia, contato, email, telefone, addr in _CUSTOMERS:
        out.append({
            "document": cnpj.format(body + cnpj.calc_check_digits(body)),
            "razao_social": razao, "nome_fantasia": fantasia, "contato": contato,
            "email": email, "telefone": telefone,
            "address": dict(zip(ADDRESS_FIELDS, addr, strict=True)),
        })
    return out


def _equipment(customers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """2 or 3 pieces per customer; serial counters per model start at 123 (``BE4200TH000123``)."""
    counters = {prefix: 123 for _, prefix in _MODELS}
    out = []
    for i, customer in enumerate(customers):
        for j in range(3 if i % 3 == 0 else 2):
            model, prefix = _MODELS[(i + 2 * j) % len(_MODELS)]
            serial = f"{prefix}{counters[prefix]:06d}"
            counters[prefix] += 1
            out.append({"serial": serial, "model": model, "customer_document": customer["document"],
                        "warranty_end": _WARRANTY_ENDS[(i * 2 + j * 5) % len(_WARRANTY_ENDS)]})
    return out


def _ceps(customers: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    ceps = {}
    for customer in customers:
        a = customer["address"]
        ceps[a["cep"]] = {"logradouro": a["logradouro"], "bairro": a["bairro"], "cidade": a["cidade"],
                          "uf": a["uf"]}
    for cep, (logradouro, bairro, cidade, uf) in _EXTRA_CEPS.items():
        ceps[cep] = {"logradouro": logradouro, "bairro": bairro, "cidade": cidade, "uf": uf}
    return ceps


def _service_orders(customers, equipment) -> list[dict[str, Any]]:
    by_customer: dict[str, list[str]] = {}
    for item in equipment:
        by_customer.setdefault(item["customer_document"], []).append(item["serial"])
    out = []
    for n, (number, ci, ei, group, service, provider, technician, pedido, ref, obs, notes, status,
            created) in enumerate(_SERVICE_ORDERS, start=1):
        document = customers[ci]["document"]
        out.append({
            "id": n, "number": number, "customer_document": document,
            "serial": by_customer[document][ei], "group": group, "service": service,
            "provider": provider, "technician": technician, "pedido_de_venda": pedido,
            "numero_referencia": ref, "observacoes_atendimento": obs, "notes": notes,
            "status": status, "created_at": created,
        })
    return out


def build() -> dict[str, Any]:
    """The ``workfinity`` part of the seed (a fresh copy on every call)."""
    customers = _customers()
    equipment = _equipment(customers)
    return {
        "users": [{"username": "robo", "password": ""}],
        "customers": customers,
        "equipment": equipment,
        "catalog": copy.deepcopy(_CATALOG),
        "providers": copy.deepcopy(_PROVIDERS),
        "ceps": _ceps(customers),
        "service_orders": _service_orders(customers, equipment),
    }
