// The facility map (/co-so/ban-do): markers coloured by type from the facilities the page carries (data-facilities-json),
// the province boundary from GET /co-so/ban-do/ranh-gioi when the server has it, a type filter and a search box. Leaflet 1.9.4 is
// vendored beside this file; no CDN and, unless configured, no tiles, so it works offline.
(function () {
    'use strict';
    var root = document.getElementById('facility-map');
    if (!root || !window.L) {
        return;
    }

    var colours = JSON.parse(root.dataset.colours || '{}');
    var status = root.querySelector('[data-map-status]');
    var results = root.querySelector('[data-map-results]');
    var search = root.querySelector('[data-map-search]');
    var typeBoxes = Array.prototype.slice.call(root.querySelectorAll('[data-map-type]'));
    // Vietnam, until the markers or the boundary give a better view.
    var map = L.map(root.querySelector('[data-map-canvas]')).setView([16.0, 107.5], 6);
    if (root.dataset.tiles) {
        L.tileLayer(root.dataset.tiles, { maxZoom: 18 }).addTo(map);
    }

    var markers = [];
    var fitted = false;

    // The same folding as the server's search: no case, no diacritics, đ as d (FHIR R4 search.html#string).
    function fold(text) {
        return (text || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
    }

    function popup(facility) {
        var box = document.createElement('div');
        var name = document.createElement('strong');
        name.textContent = facility.name;
        box.appendChild(name);
        [facility.code, facility.typeDisplay, facility.addressText].forEach(function (line) {
            if (line) {
                box.appendChild(document.createElement('br'));
                box.appendChild(document.createTextNode(line));
            }
        });
        return box;
    }

    function apply() {
        var types = {};
        typeBoxes.forEach(function (box) { types[box.value] = box.checked; });
        var typed = search.value.trim();
        var words = fold(typed).split(' ').filter(Boolean);
        var shown = [];
        markers.forEach(function (marker) {
            var f = marker.facility;
            var visible = types[f.type || 'co-so-khac'] !== false
                && (words.length === 0 || f.code === typed || words.every(function (w) { return fold(f.name).indexOf(w) >= 0; }));
            if (visible) {
                shown.push(f);
                if (!map.hasLayer(marker)) {
                    marker.addTo(map);
                }
            } else if (map.hasLayer(marker)) {
                marker.remove();
            }
        });
        shown.sort(function (a, b) { return a.code < b.code ? -1 : a.code > b.code ? 1 : 0; });
        results.textContent = '';
        shown.forEach(function (f) {
            var item = document.createElement('li');
            item.textContent = f.code + ' · ' + f.name;
            item.dataset.code = f.code;
            item.dataset.type = f.type || '';
            results.appendChild(item);
        });
        status.textContent = (root.dataset.shownText || '{0} / {1}').replace('{0}', shown.length).replace('{1}', markers.length);
        status.dataset.shown = String(shown.length);
    }

    fetch(root.dataset.boundary, { credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (geo) {
            if (!geo) {
                root.querySelector('[data-no-boundary]').hidden = false;
                return;
            }
            var layer = L.geoJSON(geo, { interactive: false, style: { color: '#37474f', weight: 2, fillOpacity: 0.04 } }).addTo(map);
            layer.bringToBack();
            root.dataset.boundaryShown = 'true';
            if (!fitted) {
                map.fitBounds(layer.getBounds());
            }
        })
        .catch(function () { root.querySelector('[data-no-boundary]').hidden = false; });

    // A hospital often stands in the same commune as the commune's station, a few hundred metres apart: at province
    // zoom their dots overlap, so larger facilities are drawn last (on top) and larger.
    var rank = { 'benh-vien': 3, 'trung-tam-y-te': 2 };
    JSON.parse(root.dataset.facilitiesJson || '[]').sort(function (a, b) {
        return (rank[a.type] || 1) - (rank[b.type] || 1);
    }).forEach(function (f) {
        var marker = L.circleMarker([f.latitude, f.longitude], {
            radius: 5 + 2 * (rank[f.type] || 1), color: '#ffffff', weight: 1.5, fillOpacity: 0.9,
            fillColor: colours[f.type] || colours['co-so-khac'] || '#546e7a',
            className: 'facility-marker facility-type-' + (f.type || 'co-so-khac'),
        });
        marker.facility = f;
        marker.bindPopup(popup(f));
        markers.push(marker);
    });
    apply();
    if (markers.length > 0) {
        map.fitBounds(L.featureGroup(markers).getBounds().pad(0.1));
        fitted = true;
    }
    root.dataset.loaded = 'true';

    search.addEventListener('input', apply);
    typeBoxes.forEach(function (box) { box.addEventListener('change', apply); });
}());
