package io.downline.tax.api;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** GST state codes (the first two characters of a GSTIN and the "place of supply" of an invoice). */
public final class StateCodes {

    private static final Map<String, String> NAMES = new TreeMap<>();

    static {
        String[] pairs = { "01", "Jammu and Kashmir", "02", "Himachal Pradesh", "03", "Punjab", "04", "Chandigarh", "05", "Uttarakhand",
                "06", "Haryana", "07", "Delhi", "08", "Rajasthan", "09", "Uttar Pradesh", "10", "Bihar", "11", "Sikkim",
                "12", "Arunachal Pradesh", "13", "Nagaland", "14", "Manipur", "15", "Mizoram", "16", "Tripura", "17", "Meghalaya",
                "18", "Assam", "19", "West Bengal", "20", "Jharkhand", "21", "Odisha", "22", "Chhattisgarh", "23", "Madhya Pradesh",
                "24", "Gujarat", "26", "Dadra and Nagar Haveli and Daman and Diu", "27", "Maharashtra", "29", "Karnataka",
                "30", "Goa", "31", "Lakshadweep", "32", "Kerala", "33", "Tamil Nadu", "34", "Puducherry",
                "35", "Andaman and Nicobar Islands", "36", "Telangana", "37", "Andhra Pradesh", "38", "Ladakh", "97", "Other Territory" };
        for (int i = 0; i < pairs.length; i += 2) {
            NAMES.put(pairs[i], pairs[i + 1]);
        }
    }

    /**
     * Union Territories without a legislature: a supply within one of them bears CGST + UTGST. Delhi (07), Puducherry (34)
     * and Jammu and Kashmir (01) have legislatures and count as states (SGST).
     */
    private static final Set<String> UNION_TERRITORIES = Set.of("04", "26", "31", "35", "38", "97");

    private StateCodes() {
    }

    public static boolean valid(String code) {
        return code != null && NAMES.containsKey(code);
    }

    public static String name(String code) {
        String name = NAMES.get(code);
        if (name == null) {
            throw new IllegalArgumentException("not a GST state code: " + code);
        }
        return name;
    }

    public static boolean unionTerritoryWithoutLegislature(String code) {
        return UNION_TERRITORIES.contains(code);
    }
}
