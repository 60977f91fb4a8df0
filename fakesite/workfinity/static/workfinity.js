/* Fake Workfinity: the small amount of page behaviour the real jQuery app has, in vanilla JS.
   Every server call goes to an application path (it gets the injected latency). */
(function () {
  "use strict";

  var prefix = document.body.getAttribute("data-prefix") || "";
  var $ = function (id) { return document.getElementById(id); };
  // Markup variant (fakesite/variants.py): what the UI contract leaves open, done another way.
  var V = JSON.parse(document.body.getAttribute("data-variant") || "{}");
  var pad = V.label_padding || "";

  /* -- variant: inputs wrapped in extra elements; labels by wrapping or aria-labelledby;
     tab panels before the tab list; a cookie-consent banner on the first visit ----------- */
  if (V.wrap_inputs) {
    document.querySelectorAll(".wkf-field > input:not([type=hidden]), .wkf-field > select, .wkf-field > textarea")
      .forEach(function (control) {
        var outer = document.createElement("div");
        var inner = document.createElement("span");
        outer.className = "wkf-input-group";
        inner.className = "wkf-input-inner";
        control.replaceWith(outer);
        inner.appendChild(control);
        outer.appendChild(inner);
      });
  }
  document.querySelectorAll("label[for]").forEach(function (label) {
    var control = $(label.htmlFor);
    if (!control) return;
    if (pad) label.textContent = pad + label.textContent + pad;
    if (V.label_style === "wrap") {
      label.removeAttribute("for");
      label.appendChild(control.closest(".wkf-input-group") || control);
    } else if (V.label_style === "labelledby") {
      var text = document.createElement("span");
      text.id = label.htmlFor + "Label";
      text.className = "wkf-label";
      text.textContent = label.textContent;
      label.replaceWith(text);
      control.setAttribute("aria-labelledby", text.id);
    }
  });
  if (V.panels_first) {
    var tablist = document.querySelector('[role="tablist"]');
    var panels = document.querySelectorAll('[role="tabpanel"]');
    if (tablist && panels.length) panels[panels.length - 1].after(tablist);
  }
  if (V.cookie_banner && !localStorage.getItem("wkf.cookies")) {
    var banner = document.createElement("div");
    banner.className = "wkf-cookies";
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", "Aviso de cookies");
    banner.innerHTML = "<p>Usamos cookies para melhorar sua experiência.</p>";
    var accept = document.createElement("button");
    accept.type = "button";
    accept.className = "btn btn-default";
    accept.textContent = "Aceitar";
    accept.addEventListener("click", function () { localStorage.setItem("wkf.cookies", "1"); banner.remove(); });
    banner.appendChild(accept);
    document.body.appendChild(banner);
  }
  // Option values as ids: a select is set by the text of its option.
  function setByText(select, text) {
    var found = Array.prototype.find.call(select.options, function (o) { return o.text.trim() === text; });
    select.value = found ? found.value : "";
  }

  // The slow-client profile (fault knob client_delay_ms) delays every debounce and every answer;
  // a variant's own client_delay_ms delays the answers only.
  var clientDelay = Number(document.body.getAttribute("data-client-delay") || 0);
  var answerDelay = clientDelay + (V.client_delay_ms || 0);
  var later = function (value) {
    return answerDelay ? new Promise(function (resolve) { setTimeout(function () { resolve(value); }, answerDelay); })
                       : value;
  };

  function api(path, params) {
    var url = prefix + path + "?" + new URLSearchParams(params).toString();
    return fetch(url, {
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
    }).then(function (response) {
      if (response.status === 401) {  // session gone: the login page brings the user back here
        location.href = prefix + "/login/auth?targetUri=" + encodeURIComponent(location.pathname + location.search);
        throw new Error("session expired");
      }
      return later(response);
    });
  }

  /* -- surprise modal ("Aviso"): blocks the page until "Fechar" -------------------------- */
  document.querySelectorAll("[data-wkf-modal]").forEach(function (backdrop) {
    var close = backdrop.querySelector("[data-wkf-modal-close]");
    close.addEventListener("click", function () { backdrop.remove(); });
    close.focus();
  });

  /* -- menu "Gerenciar" ------------------------------------------------------------------- */
  document.querySelectorAll(".wkf-menu-toggle").forEach(function (toggle) {
    var menu = $(toggle.getAttribute("aria-controls"));
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.hidden = !open;
    });
  });

  /* -- tabs ----------------------------------------------------------------------------- */
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
  function selectTab(tab) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    });
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { selectTab(tab); });
    tab.addEventListener("keydown", function (e) {
      var step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
      if (!step) return;
      var next = tabs[(i + step + tabs.length) % tabs.length];
      selectTab(next);
      next.focus();
    });
  });

  var form = $("serviceOrderForm");
  if (!form || form.getAttribute("data-readonly") === "true") return;

  /* -- customer autocomplete: the stock jQuery UI widget (no ARIA roles on its menu; a
     live region announces the number of results) --------------------------------------- */
  var docInput = $("customerDocumentNumber");
  var docHidden = $("customerDocument");
  var customerFields = ["razaoSocial", "nomeFantasia", "contato", "email", "telefone"];
  var addressFields = { cep: "zipCodeTextField", logradouro: "logradouro", numero: "numero",
                        complemento: "complemento", bairro: "bairro", cidade: "cidade", uf: "uf" };

  function addressEditing() { return $("addressChanged").value === "1"; }

  function clearCustomer() {
    customerFields.forEach(function (id) { $(id).value = ""; });
    if (!addressEditing()) {
      Object.keys(addressFields).forEach(function (k) { $(addressFields[k]).value = ""; });
    }
  }

  function pick(documentNumber) {
    docHidden.value = documentNumber;
    docInput.removeAttribute("aria-invalid");
    clearCustomer();
    api("/customer/show", { document: documentNumber })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c || docHidden.value !== documentNumber) return;  // picked another one meanwhile
        $("razaoSocial").value = c.razao_social;
        $("nomeFantasia").value = c.nome_fantasia;
        $("contato").value = c.contato;
        $("email").value = c.email;
        $("telefone").value = c.telefone;
        if (!addressEditing()) {
          Object.keys(addressFields).forEach(function (k) {
            if (k === "uf") setByText($("uf"), c.address.uf || "");
            else $(addressFields[k]).value = c.address[k] || "";
          });
        }
      })
      .catch(function () {});
  }

  docInput.addEventListener("input", function () {
    if (docHidden.value) { docHidden.value = ""; clearCustomer(); }  // typing again unsets the customer
  });
  window.jQuery(docInput).autocomplete({
    minLength: 4,
    delay: Number(docInput.getAttribute("data-delay") || 300) + clientDelay,
    appendTo: docInput.getAttribute("data-append-to") || null,
    source: function (request, response) {
      api("/customer/autocomplete", { term: request.term.trim() })
        .then(function (r) { return r.json(); })
        .then(function (items) {
          response(items.map(function (i) { return { label: i.label, value: i.document, document: i.document }; }));
        })
        .catch(function () {});
    },
    select: function (event, ui) { pick(ui.item.document); }
  });

  /* -- address: read-only until "Alterar endereço"; CEP looked up on blur ---------------- */
  var changeAddress = $("changeAddressButton");
  var cep = $("zipCodeTextField");
  var cepStatus = $("zipCodeStatus");
  var cepSeq = 0;
  changeAddress.addEventListener("click", function () {
    Object.keys(addressFields).forEach(function (k) {
      var el = $(addressFields[k]);
      el.readOnly = false;
      el.disabled = false;
    });
    $("addressChanged").value = "1";
    changeAddress.disabled = true;
    cep.focus();
  });
  cep.addEventListener("blur", function () {
    if (cep.readOnly) return;
    var digits = cep.value.replace(/\D/g, "");
    if (digits.length !== 8) { cepStatus.textContent = digits ? "CEP inválido" : ""; return; }
    var seq = ++cepSeq;
    cep.setAttribute("aria-busy", "true");
    cepStatus.textContent = "Buscando CEP…";
    api("/address/cep", { cep: digits })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (a) {
        if (seq !== cepSeq) return;
        if (!a) { cepStatus.textContent = "CEP não encontrado"; return; }
        cep.value = a.cep;
        $("logradouro").value = a.logradouro;
        $("bairro").value = a.bairro;
        $("cidade").value = a.cidade;
        setByText($("uf"), a.uf);
        cepStatus.textContent = "";
      })
      .catch(function () {})
      .then(function () { if (seq === cepSeq) cep.removeAttribute("aria-busy"); });
  });

  /* -- equipment lookup ----------------------------------------------------------------- */
  var serial = $("serialNumber");
  var equipmentStatus = $("equipmentStatus");
  var eqSeq = 0;
  function lookupEquipment() {
    var value = serial.value.trim();
    var seq = ++eqSeq;
    $("equipmentModel").value = "";
    $("warrantyEnd").value = "";
    if (!value) { equipmentStatus.textContent = "Informe o número de série"; return; }
    equipmentStatus.textContent = "Buscando equipamento…";
    serial.setAttribute("aria-busy", "true");
    api("/equipment/show", { serial: value })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (e) {
        if (seq !== eqSeq) return;
        if (!e) { equipmentStatus.textContent = "Equipamento não encontrado"; return; }
        if (V.results_elsewhere) {  // variant: the result shown in a text, the fields left empty
          equipmentStatus.textContent = "Modelo " + e.model + " · garantia até " + e.warranty_end;
          return;
        }
        $("equipmentModel").value = e.model;
        $("warrantyEnd").value = e.warranty_end;
        equipmentStatus.textContent = "";
        serial.removeAttribute("aria-invalid");
      })
      .catch(function () {})
      .then(function () { if (seq === eqSeq) serial.removeAttribute("aria-busy"); });
  }
  $("searchEquipmentButton").addEventListener("click", lookupEquipment);
  serial.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); lookupEquipment(); }
  });
  serial.addEventListener("input", function () {
    $("equipmentModel").value = "";
    $("warrantyEnd").value = "";
    equipmentStatus.textContent = "";
  });

  /* -- Grupo Serviço -> Serviço (AJAX), Prestador -> Técnico (AJAX) ---------------------- */
  function fillSelect(select, values, placeholder) {
    select.innerHTML = "";
    if (values.length) {
      var first = document.createElement("option");
      first.value = "";
      first.textContent = placeholder;
      select.appendChild(first);
    }
    values.forEach(function (v) {  // a label, or {id, label} when the site keys options by id
      var o = document.createElement("option");
      o.value = typeof v === "object" ? v.id : v;
      o.textContent = typeof v === "object" ? v.label : v;
      select.appendChild(o);
    });
  }
  function cascade(parent, child, path, param, placeholder, keepEnabled) {
    var seq = 0;
    parent.addEventListener("change", function () {
      var mine = ++seq;
      fillSelect(child, [], placeholder);
      if (!keepEnabled) child.disabled = true;
      if (!parent.value) return;
      var params = {};
      params[param] = parent.value;
      child.setAttribute("aria-busy", "true");
      api(path, params)
        .then(function (r) { return r.json(); })
        .then(function (values) {
          if (mine !== seq) return;
          fillSelect(child, values, placeholder);
          child.disabled = false;
          parent.removeAttribute("aria-invalid");
        })
        .catch(function () {})
        .then(function () { if (mine === seq) child.removeAttribute("aria-busy"); });
    });
  }
  cascade($("group"), $("service"), "/service/byGroup", "group", "Selecione…", false);
  cascade($("serviceProvider"), $("serviceProviderTechnician"), "/serviceProvider/technicians", "provider", "", true);

  /* -- submit: blocking overlay until the server answers ----------------------------------- */
  var overlay = $("loadingOverlay");
  form.addEventListener("submit", function (e) {
    if (form.getAttribute("aria-busy") === "true") { e.preventDefault(); return; }
    form.setAttribute("aria-busy", "true");
    overlay.hidden = false;
  });
  window.addEventListener("pageshow", function (e) {  // back/forward cache: never stay blocked
    if (e.persisted) { form.removeAttribute("aria-busy"); overlay.hidden = true; }
  });
})();
